#!/usr/bin/python3
"""A minimal tray host for tests/desktop/tray.sh, over the session bus
(python3-dbus, python3-gi).

  tray_host.py watch FILE     own org.kde.StatusNotifierWatcher; write each
                              registered item's bus name to FILE
  tray_host.py menu NAME      introspect the item NAME, print its menu labels
                              (com.canonical.dbusmenu GetLayout), one a line
  tray_host.py click NAME L   send "clicked" to the menu entry labelled L
"""
import sys
import time

import dbus
import dbus.service

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"


class Watcher(dbus.service.Object):
    def __init__(self, bus, out):
        self.items = []
        self.out = out
        super().__init__(bus, "/StatusNotifierWatcher")

    @dbus.service.method(WATCHER, in_signature="s", out_signature="",
                         sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        # ksni passes its well-known name; other items pass an object path.
        name = service if not service.startswith("/") else sender
        self.items.append(name)
        with open(self.out, "a") as f:
            f.write(name + "\n")
        self.StatusNotifierItemRegistered(name)

    @dbus.service.method(WATCHER, in_signature="s", out_signature="")
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, name):
        pass

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        return self.GetAll(interface)[prop]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return {
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
            "RegisteredStatusNotifierItems": dbus.Array(self.items, signature="s"),
        }


def watch(out):
    from dbus.mainloop.glib import DBusGMainLoop
    from gi.repository import GLib

    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(WATCHER, bus)
    watcher = Watcher(bus, out)
    print("watcher ready", flush=True)
    GLib.MainLoop().run()
    del name, watcher


def layout(bus, name):
    item = bus.get_object(name, ITEM_PATH)
    xml = item.Introspect(dbus_interface="org.freedesktop.DBus.Introspectable")
    assert "org.kde.StatusNotifierItem" in xml, "the item has no StatusNotifierItem interface"
    props = dbus.Interface(item, dbus.PROPERTIES_IFACE)
    menu_path = props.Get("org.kde.StatusNotifierItem", "Menu")
    menu = dbus.Interface(bus.get_object(name, menu_path), "com.canonical.dbusmenu")
    _, (_, _, children) = menu.GetLayout(0, -1, dbus.Array([], signature="s"))
    entries = []
    for child in children:
        entry_id, entry_props, _ = child
        if entry_props.get("type") == "separator" or not entry_props.get("visible", True):
            continue
        entries.append((int(entry_id), str(entry_props.get("label", ""))))
    return menu, entries


def main():
    mode = sys.argv[1]
    if mode == "watch":
        watch(sys.argv[2])
        return
    bus = dbus.SessionBus()
    menu, entries = layout(bus, sys.argv[2])
    if mode == "menu":
        for _, label in entries:
            print(label)
    elif mode == "click":
        want = sys.argv[3]
        match = [i for i, label in entries if label == want]
        if not match:
            sys.exit("no menu entry %r in %r" % (want, [l for _, l in entries]))
        try:
            menu.Event(match[0], "clicked", dbus.Int32(0, variant_level=1),
                       dbus.UInt32(int(time.time())))
        except dbus.exceptions.DBusException as e:
            # Quit: the app may leave the bus before it replies.
            if e.get_dbus_name() != "org.freedesktop.DBus.Error.NoReply":
                raise
            print("the item left the bus without replying")
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
