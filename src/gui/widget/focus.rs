//! Keyboard focus for controls other than text fields.
//!
//! iced 0.14 moves the focus (Tab, Shift+Tab) only through text inputs.
//! [`focusable`] wraps a button, toggler, tick box or menu so that it takes
//! part in the same focus order: it answers iced's focus operations like a
//! text field does, draws a ring while it has the focus, and on Enter or
//! Space clicks the control it wraps (a press and a release at its centre),
//! so the control keeps its own meaning of a click.

use iced::advanced::layout::{self, Layout};
use iced::advanced::renderer::{self, Quad};
use iced::advanced::widget::operation::{Focusable, Operation};
use iced::advanced::widget::{Tree, Widget, tree};
use iced::advanced::{Clipboard, Shell, overlay};
use iced::keyboard::{self, key::Named};
use iced::{
    Border, Color, Element, Event, Length, Rectangle, Renderer, Size, Theme, Vector, mouse,
};

/// Width of the focus ring, and its gap from the control.
const RING: f32 = 2.0;
const GAP: f32 = 2.0;

/// `content` as a control the keyboard can reach: Enter or Space clicks it.
pub fn focusable<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    Element::new(Focus {
        content: content.into(),
        clicks: true,
    })
}

/// A `pick_list` the keyboard can reach: ↑ and ↓ choose the previous or
/// next option in place (its menu cannot be used with keys in iced 0.14,
/// so Enter does not open it).
pub fn focusable_choice<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    Element::new(Focus {
        content: content.into(),
        clicks: false,
    })
}

struct Focus<'a, M> {
    content: Element<'a, M>,
    /// Whether Enter and Space click the control.
    clicks: bool,
}

#[derive(Debug, Default)]
struct State {
    focused: bool,
}

impl Focusable for State {
    fn is_focused(&self) -> bool {
        self.focused
    }

    fn focus(&mut self) {
        self.focused = true;
    }

    fn unfocus(&mut self) {
        self.focused = false;
    }
}

impl<M> Focus<'_, M> {
    /// What a key does to the focused control, as the pointer events that
    /// do the same: Enter or Space, a click (a press and a release); ↑ or ↓
    /// on a choice, the pick list's own Ctrl+wheel step. `None` for any
    /// other key or event.
    fn keyboard_steps(&self, event: &Event) -> Option<Vec<Event>> {
        let Event::Keyboard(keyboard::Event::KeyPressed {
            key: keyboard::Key::Named(named),
            modifiers,
            ..
        }) = event
        else {
            return None;
        };
        if !modifiers.is_empty() {
            return None;
        }
        match named {
            Named::Enter | Named::Space if self.clicks => Some(vec![
                Event::Mouse(mouse::Event::ButtonPressed(mouse::Button::Left)),
                Event::Mouse(mouse::Event::ButtonReleased(mouse::Button::Left)),
            ]),
            Named::ArrowUp | Named::ArrowDown if !self.clicks => {
                let y = if *named == Named::ArrowUp { 1.0 } else { -1.0 };
                Some(vec![
                    Event::Keyboard(keyboard::Event::ModifiersChanged(
                        keyboard::Modifiers::COMMAND,
                    )),
                    Event::Mouse(mouse::Event::WheelScrolled {
                        delta: mouse::ScrollDelta::Lines { x: 0.0, y },
                    }),
                    Event::Keyboard(keyboard::Event::ModifiersChanged(*modifiers)),
                ])
            }
            _ => None,
        }
    }
}

impl<M> Widget<M, Theme, Renderer> for Focus<'_, M> {
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State::default())
    }

    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        let state = tree.state.downcast_mut::<State>();
        operation.focusable(None, layout.bounds(), state);
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, M>,
        viewport: &Rectangle,
    ) {
        let focused = tree.state.downcast_ref::<State>().focused;
        if focused && let Some(steps) = self.keyboard_steps(event) {
            // Played at the control's centre, whatever the pointer does
            // meanwhile, each step in a shell of its own: the control
            // captures a press, and a captured event would stop the release.
            let centre = mouse::Cursor::Available(layout.bounds().center());
            for step in &steps {
                let mut messages = Vec::new();
                let mut inner = Shell::new(&mut messages);
                self.content.as_widget_mut().update(
                    &mut tree.children[0],
                    step,
                    layout,
                    centre,
                    renderer,
                    clipboard,
                    &mut inner,
                    viewport,
                );
                shell.merge(inner, |m| m);
            }
            shell.capture_event();
            shell.request_redraw();
            return;
        }
        // A click anywhere moves the focus away (as from a text field).
        if focused && matches!(event, Event::Mouse(mouse::Event::ButtonPressed(_))) {
            tree.state.downcast_mut::<State>().focused = false;
            shell.request_redraw();
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
        if tree.state.downcast_ref::<State>().focused {
            use iced::advanced::Renderer as _;
            let b = layout.bounds().expand(RING + GAP);
            renderer.fill_quad(
                Quad {
                    bounds: b,
                    border: Border {
                        color: theme.extended_palette().primary.strong.color,
                        width: RING,
                        radius: 6.0.into(),
                    },
                    ..Quad::default()
                },
                Color::TRANSPARENT,
            );
        }
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, M, Theme, Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

/// [`iced::widget::button`]'s builder, made [`focusable`] when it becomes
/// an element: the screens build their buttons with it (and its module
/// gives the same styles as iced's).
pub fn button<'a, M: Clone + 'a>(content: impl Into<Element<'a, M>>) -> Button<'a, M> {
    Button(iced::widget::button(content))
}

/// A button the keyboard can reach (see [`button`]).
pub struct Button<'a, M>(iced::widget::Button<'a, M>);

impl<'a, M: Clone + 'a> Button<'a, M> {
    pub fn on_press(self, message: M) -> Self {
        Self(self.0.on_press(message))
    }

    pub fn on_press_maybe(self, message: Option<M>) -> Self {
        Self(self.0.on_press_maybe(message))
    }

    pub fn style(
        self,
        style: impl Fn(&Theme, iced::widget::button::Status) -> iced::widget::button::Style + 'a,
    ) -> Self {
        Self(self.0.style(style))
    }

    pub fn padding(self, padding: impl Into<iced::Padding>) -> Self {
        Self(self.0.padding(padding))
    }

    pub fn width(self, width: impl Into<Length>) -> Self {
        Self(self.0.width(width))
    }
}

impl<'a, M: Clone + 'a> From<Button<'a, M>> for Element<'a, M> {
    fn from(button: Button<'a, M>) -> Self {
        focusable(button.0)
    }
}
