//! The binding helper's countdown: a large ring that empties as the period
//! runs out, the seconds in its middle, in the warning colour for the last
//! five seconds.

use std::f32::consts::{FRAC_PI_2, TAU};

use iced::widget::canvas::{self, Canvas, Frame, Geometry, LineCap, Path, Stroke, path::Arc};
use iced::{Element, Pixels, Point, Radians, Rectangle, Renderer, Theme, mouse};

/// Seconds at and below which the ring warns.
pub const WARN_SECS: u64 = 5;

struct Ring {
    left: u64,
    period: u64,
}

impl<M> canvas::Program<M> for Ring {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let palette = theme.extended_palette();
        let center = frame.center();
        let width = 8.0;
        let radius = (bounds.width.min(bounds.height) - width) / 2.0;
        let warn = self.left <= WARN_SECS;
        let colour = if warn {
            palette.danger.base.color
        } else {
            palette.primary.base.color
        };
        frame.stroke(
            &Path::circle(center, radius),
            Stroke::default()
                .with_width(width)
                .with_color(palette.background.strong.color),
        );
        let fraction = self.left as f32 / self.period.max(1) as f32;
        let start = -FRAC_PI_2;
        let arc = Path::new(|b| {
            b.arc(Arc {
                center,
                radius,
                start_angle: Radians(start),
                end_angle: Radians(start + TAU * fraction.clamp(0.0, 1.0)),
            });
        });
        frame.stroke(
            &arc,
            Stroke::default()
                .with_width(width)
                .with_color(colour)
                .with_line_cap(LineCap::Round),
        );
        frame.fill_text(canvas::Text {
            content: tr!("codes.seconds", n = self.left),
            position: Point::new(center.x, center.y),
            color: if warn {
                colour
            } else {
                palette.background.base.text
            },
            size: Pixels(radius * 0.55),
            align_x: iced::widget::text::Alignment::Center,
            align_y: iced::alignment::Vertical::Center,
            ..canvas::Text::default()
        });
        vec![frame.into_geometry()]
    }
}

/// A countdown ring of `size` pixels for `left` of `period` seconds.
pub fn ring<'a, M: 'a>(left: u64, period: u64, size: f32) -> Element<'a, M> {
    Canvas::new(Ring { left, period })
        .width(size)
        .height(size)
        .into()
}
