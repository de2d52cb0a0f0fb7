#!/usr/bin/python3
"""A small XDG Screenshot portal for tests/desktop/wayland.sh, on the
session bus it is started in (python3-dbus, python3-gi).

  fake_portal.py never        answers no request (a permission dialog
                              nobody clicks)
  fake_portal.py file PNG     answers each request with a copy of PNG
                              (the client deletes the file it is given)
"""
import shutil
import sys
import tempfile

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

PORTAL = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
SCREENSHOT = "org.freedesktop.portal.Screenshot"
REQUEST = "org.freedesktop.portal.Request"


class Request(dbus.service.Object):
    @dbus.service.signal(REQUEST, signature="ua{sv}")
    def Response(self, response, results):
        pass

    @dbus.service.method(REQUEST, in_signature="", out_signature="")
    def Close(self):
        self.remove_from_connection()


class Portal(dbus.service.Object):
    def __init__(self, bus, mode, png):
        self.bus, self.mode, self.png = bus, mode, png
        self.requests = []
        super().__init__(bus, PATH)

    @dbus.service.method(SCREENSHOT, in_signature="sa{sv}", out_signature="o",
                         sender_keyword="sender")
    def Screenshot(self, parent_window, options, sender=None):
        token = str(options.get("handle_token", "t%d" % len(self.requests)))
        path = "%s/request/%s/%s" % (PATH, sender[1:].replace(".", "_"), token)
        request = Request(self.bus, path)
        self.requests.append(request)
        print("screenshot requested", flush=True)
        if self.mode == "file":
            def answer():
                fd, copy = tempfile.mkstemp(suffix=".png")
                with open(fd, "wb") as out, open(self.png, "rb") as src:
                    shutil.copyfileobj(src, out)
                request.Response(dbus.UInt32(0), {"uri": dbus.String("file://" + copy, variant_level=1)})
                return False
            GLib.timeout_add(100, answer)
        return dbus.ObjectPath(path)

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        return self.GetAll(interface)[prop]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return {"version": dbus.UInt32(2)}


def main():
    mode = sys.argv[1]
    png = sys.argv[2] if mode == "file" else None
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(PORTAL, bus)
    portal = Portal(bus, mode, png)
    print("portal ready", flush=True)
    GLib.MainLoop().run()
    del name, portal


if __name__ == "__main__":
    main()
