//! The app's icons, drawn as paths (no icon font, no image files): they
//! follow the theme's text colour and stay sharp at any scale.

use iced::widget::canvas::{self, Canvas, Frame, Geometry, LineCap, LineJoin, Path, Stroke};
use iced::{Color, Element, Point, Rectangle, Renderer, Size, Theme, mouse};

/// What an icon shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// ⋯: more actions.
    More,
    /// ×: close.
    Close,
    /// Two sheets: copy the code.
    Copy,
    /// Two codes side by side: the binding helper.
    Bind,
    /// Three finder squares: the account as a QR code.
    Qr,
    /// A pencil: rename.
    Rename,
    /// A bin: delete (drawn in the danger colour).
    Delete,
}

struct Drawing(Icon);

/// The icon's paths, kept between frames (the list redraws every second):
/// drawn again only when the theme's colour or the size changes.
#[derive(Default)]
pub struct Kept {
    cache: canvas::Cache,
    drawn: std::cell::Cell<Option<(Color, Size)>>,
}

impl<M> canvas::Program<M> for Drawing {
    type State = Kept;

    fn draw(
        &self,
        state: &Kept,
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let colour = colour(self.0, theme);
        if state.drawn.get() != Some((colour, bounds.size())) {
            state.cache.clear();
            state.drawn.set(Some((colour, bounds.size())));
        }
        vec![
            state
                .cache
                .draw(renderer, bounds.size(), |frame| self.paths(frame, colour)),
        ]
    }
}

impl Drawing {
    fn paths(&self, frame: &mut Frame, colour: Color) {
        let bounds = Rectangle::with_size(frame.size());
        // Drawn on a 16 × 16 grid, scaled to the bounds.
        let s = bounds.width.min(bounds.height) / 16.0;
        let p = |x: f32, y: f32| Point::new(x * s, y * s);
        let line = Stroke::default()
            .with_width(1.5 * s)
            .with_color(colour)
            .with_line_cap(LineCap::Round)
            .with_line_join(LineJoin::Round);
        let rect = |x: f32, y: f32, w: f32, h: f32| {
            Path::rounded_rectangle(p(x, y), Size::new(w * s, h * s), (1.5 * s).into())
        };
        let polyline = |points: &[(f32, f32)], close: bool| {
            Path::new(|b| {
                let mut points = points.iter();
                if let Some(&(x, y)) = points.next() {
                    b.move_to(p(x, y));
                }
                for &(x, y) in points {
                    b.line_to(p(x, y));
                }
                if close {
                    b.close();
                }
            })
        };
        match self.0 {
            Icon::More => {
                for x in [3.0, 8.0, 13.0] {
                    frame.fill(&Path::circle(p(x, 8.0), 1.6 * s), colour);
                }
            }
            Icon::Close => {
                frame.stroke(&polyline(&[(4.0, 4.0), (12.0, 12.0)], false), line);
                frame.stroke(&polyline(&[(12.0, 4.0), (4.0, 12.0)], false), line);
            }
            Icon::Copy => {
                frame.stroke(&rect(5.5, 5.5, 8.5, 8.5), line);
                frame.stroke(
                    &polyline(&[(2.5, 10.5), (2.5, 2.5), (10.5, 2.5)], false),
                    line,
                );
            }
            Icon::Bind => {
                frame.stroke(&rect(1.5, 4.0, 5.5, 8.0), line);
                frame.stroke(&rect(9.0, 4.0, 5.5, 8.0), line);
            }
            Icon::Qr => {
                for (x, y) in [(1.5, 1.5), (9.5, 1.5), (1.5, 9.5)] {
                    frame.stroke(&rect(x, y, 5.0, 5.0), line);
                }
                for (x, y) in [(10.0, 10.0), (13.0, 13.0), (13.0, 10.0), (10.0, 13.0)] {
                    frame.fill_rectangle(p(x, y), Size::new(2.0 * s, 2.0 * s), colour);
                }
            }
            Icon::Rename => {
                frame.stroke(
                    &polyline(
                        &[
                            (2.5, 13.5),
                            (3.5, 10.0),
                            (11.0, 2.5),
                            (13.5, 5.0),
                            (6.0, 12.5),
                        ],
                        true,
                    ),
                    line,
                );
                frame.stroke(&polyline(&[(9.5, 4.0), (12.0, 6.5)], false), line);
            }
            Icon::Delete => {
                frame.stroke(&polyline(&[(2.0, 4.0), (14.0, 4.0)], false), line);
                frame.stroke(
                    &polyline(&[(6.0, 4.0), (6.5, 2.0), (9.5, 2.0), (10.0, 4.0)], false),
                    line,
                );
                frame.stroke(
                    &polyline(&[(3.5, 4.0), (4.5, 14.0), (11.5, 14.0), (12.5, 4.0)], false),
                    line,
                );
                for x in [6.5, 9.5] {
                    frame.stroke(&polyline(&[(x, 7.0), (x, 11.5)], false), line);
                }
            }
        }
    }
}

/// `icon` drawn `size` pixels square.
pub fn icon<'a, M: 'a>(icon: Icon, size: f32) -> Element<'a, M> {
    Canvas::new(Drawing(icon)).width(size).height(size).into()
}

/// The colour of `icon`: the text's, or the danger colour for Delete.
fn colour(icon: Icon, theme: &Theme) -> Color {
    let palette = theme.extended_palette();
    match icon {
        Icon::Delete => palette.danger.base.color,
        _ => palette.background.base.text,
    }
}
