"""Zeroconf on the venue LAN: advertise a sync endpoint, watch for others."""
from __future__ import annotations

import logging
import socket
from typing import Callable

import ifaddr
from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

log = logging.getLogger(__name__)
HUB_SERVICE = "_contoso-hub._tcp.local."
NODE_SERVICE = "_contoso-node._tcp.local."


def lan_addresses(host: str) -> list[str]:
    """The IPv4 addresses to announce: the bound one, or every non-loopback one for 0.0.0.0."""
    if host not in ("0.0.0.0", ""):
        return [host]
    found = [ip.ip for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if isinstance(ip.ip, str) and not ip.ip.startswith("127.")]
    return found or ["127.0.0.1"]


def service_info(service_type: str, name: str, host: str, port: int,
                 properties: dict) -> ServiceInfo:
    return ServiceInfo(service_type, f"{name}.{service_type}",
                       addresses=[socket.inet_aton(a) for a in lan_addresses(host)], port=port,
                       properties={k: str(v) for k, v in properties.items()})


class Discovery:
    """Advertises services and watches for others (IPv4 only; loopback works for tests)."""

    def __init__(self, interfaces: list[str] | None = None):
        kwargs = {"interfaces": interfaces} if interfaces else {}
        self.zeroconf = Zeroconf(ip_version=IPVersion.V4Only, **kwargs)
        self.browsers: list[ServiceBrowser] = []
        self.infos: list[ServiceInfo] = []

    def advertise(self, info: ServiceInfo) -> None:
        # Probing takes a second or two; a clash of names gets a new one, never an error.
        self.zeroconf.register_service(info, allow_name_change=True)
        self.infos.append(info)

    def watch(self, service_type: str, on_found: Callable[[dict], None],
              on_lost: Callable[[str], None] = lambda name: None) -> None:
        """Call on_found({'name', 'url', 'properties'}) for every instance that appears."""
        def handler(zeroconf, service_type, name, state_change):
            if state_change is ServiceStateChange.Removed:
                on_lost(name)
                return
            info = zeroconf.get_service_info(service_type, name, timeout=2000)
            if info is None or not info.parsed_addresses():
                return
            properties = {k.decode(): (v or b"").decode() for k, v in info.properties.items()}
            on_found({"name": name, "properties": properties,
                      "url": f"http://{info.parsed_addresses()[0]}:{info.port}"})
        self.browsers.append(ServiceBrowser(self.zeroconf, service_type, handlers=[handler]))

    def close(self) -> None:
        for info in self.infos:
            try:
                self.zeroconf.unregister_service(info)
            except Exception:  # the loop is already stopping
                log.debug("could not unregister %s", info.name)
        self.zeroconf.close()
