#!/usr/bin/env python3
"""Generate the umockdev device fixtures in this directory.

    python3 Fixtures/devices/generate.py            # rewrite every *.umockdev and expected.json
    python3 Fixtures/devices/generate.py --check-hwdb  # also compare the vendor/model table
                                                      # below with `udevadm hwdb --test`

Every fixture is described compactly below (vid, pid, strings, interfaces and what hangs under
each interface); this script turns the description into the format `umockdev-record` writes
(P:/N:/S:/E:/A:/H:/L: lines) with

  * the PCI host controller, the root hub usb1 and every device under it, with real sysfs paths
    (/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.2/ttyUSB2/tty/ttyUSB2);
  * sysfs attributes as the kernel writes them (values end in "\\n");
  * `H: descriptors=` holding the device descriptor plus every configuration descriptor,
    built from the same description, so libusb accepts the device and the descriptors agree
    with the attributes;
  * the udev properties the kernel and udev rules would set (usb_id, hwdb, path_id,
    60-serial, ModemManager's port-type hints where given).

Output is deterministic: no timestamps, no randomness, stable ordering.
Only the Python standard library is used.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

PCI_PATH = "/devices/pci0000:00/0000:00:14.0"
PCI_SLOT = "0000:00:14.0"

# ---------------------------------------------------------------------------------------------
# udev hwdb names (ID_VENDOR_FROM_DATABASE / ID_MODEL_FROM_DATABASE), as returned by
# `udevadm hwdb --test=usb:vVVVVpPPPP` with Debian 12's hwdb.bin. None = no entry.
# `--check-hwdb` re-checks this table against the local hwdb.
HWDB = {
    ("1d6b", "0002"): ("Linux Foundation", "2.0 root hub"),
    ("2c7c", "0125"): ("Quectel Wireless Solutions Co., Ltd.", "EC25 LTE modem"),
    ("2c7c", "0296"): ("Quectel Wireless Solutions Co., Ltd.", "BG96 CAT-M1/NB-IoT modem"),
    ("2c7c", "0306"): ("Quectel Wireless Solutions Co., Ltd.", "EG06/EP06/EM06 LTE-A modem"),
    ("1199", "9071"): ("Sierra Wireless, Inc.", "AirPrime MC7455 3G/4G LTE Modem"),
    ("1199", "9079"): ("Sierra Wireless, Inc.", "EM7455"),
    ("1199", "68c0"): ("Sierra Wireless, Inc.", None),
    ("1bc7", "1201"): ("Telit Wireless Solutions", "LE910 / LE920"),
    ("1e0e", "9001"): ("Qualcomm / Option", None),
    ("1e0e", "9003"): ("Qualcomm / Option", None),
    ("2cb7", "0007"): ("Fibocom", None),
    ("12d1", "1506"): ("Huawei Technologies Co., Ltd.", "Modem/Networkcard"),
    ("18d1", "4ee7"): ("Google Inc.", "Nexus/Pixel Device (charging + debug)"),
    ("18d1", "4ee2"): ("Google Inc.", "Nexus/Pixel Device (MTP + debug)"),
    ("05ac", "12a8"): ("Apple, Inc.", "iPhone 5/5C/5S/6/SE/7/8/X/XR"),
    ("04e8", "6860"): ("Samsung Electronics Co., Ltd", "Galaxy series, misc. (MTP mode)"),
    ("2717", "ff48"): ("Xiaomi Inc.", "Mi/Redmi series (MTP + ADB)"),
    ("1410", "9020"): ("Novatel Wireless", None),
    ("10a9", "6085"): ("SK Teletech Co., Ltd",
                       "MHS291LVW LTE Modem [Verizon Jetpack 4G LTE Mobile Hotspot MHS291L] (Modem Mode)"),
    ("046d", "c31c"): ("Logitech, Inc.", "Keyboard K120"),
    ("046d", "c077"): ("Logitech, Inc.", "Mouse"),
    ("046d", "c52b"): ("Logitech, Inc.", "Unifying Receiver"),
    ("413c", "2113"): ("Dell Computer Corp.", "KB216 Wired Keyboard"),
    ("0781", "5567"): ("SanDisk Corp.", "Cruzer Blade"),
    ("0951", "1666"): ("Kingston Technology", "DataTraveler 100 G3/G4/SE9 G2/50 Kyson"),
    ("090c", "1000"): ("Silicon Motion, Inc. - Taiwan (formerly Feiya Technology Corp.)", "Flash Drive"),
    ("0403", "6001"): ("Future Technology Devices International, Ltd", "FT232 Serial (UART) IC"),
    ("0403", "6015"): ("Future Technology Devices International, Ltd", "Bridge(I2C/SPI/UART/FIFO)"),
    ("067b", "2303"): ("Prolific Technology, Inc.", "PL2303 Serial Port / Mobile Phone Data Cable"),
    ("1a86", "7523"): ("QinHeng Electronics", "CH340 serial converter"),
    ("2341", "0043"): ("Arduino SA", "Uno R3 (CDC ACM)"),
    ("1546", "01a7"): ("U-Blox AG", "[u-blox 7]"),
    ("2e8a", "000a"): (None, None),
    ("10c4", "ea60"): ("Silicon Labs", "CP210x UART Bridge"),
    ("05e3", "0610"): ("Genesys Logic, Inc.", "Hub"),
    ("05e3", "0608"): ("Genesys Logic, Inc.", "Hub"),
    ("0424", "2514"): ("Microchip Technology, Inc. (formerly SMSC)", "USB 2.0 Hub"),
    ("1a40", "0101"): ("Terminus Technology Inc.", "Hub"),
    ("8087", "0a2b"): ("Intel Corp.", "Bluetooth wireless interface"),
    ("04f2", "b604"): ("Chicony Electronics Co., Ltd", "Integrated Camera (1280x720@30)"),
    ("0bda", "8153"): ("Realtek Semiconductor Corp.", "RTL8153 Gigabit Ethernet Adapter"),
    ("dead", "beef"): (None, None),
    ("1d50", "6018"): ("OpenMoko, Inc.", "Black Magic Debug Probe (Application)"),
}

HWDB.update({
    ("0482", "059a"): ("Kyocera Corp.", None),
    ("0482", "085e"): ("Kyocera Corp.", None),
    ("2e04", "c026"): ("HMD Global", "Nokia Smartphone"),
    ("0fce", "5193"): ("Sony Ericsson Mobile Communications AB", None),
    ("1004", "633e"): ("LG Electronics, Inc.", "LM-X420xxx/G2/G3 Android Phone (MTP/download mode)"),
    ("1bbb", "901b"): ("T & A Mobile Phones", None),
    ("04a9", "3099"): ("Canon, Inc.", "EOS 300D (ptp)"),
    ("1050", "0407"): ("Yubico.com", "Yubikey 4/5 OTP+U2F+CCID"),
    ("04e8", "4001"): ("Samsung Electronics Co., Ltd", "PSSD T7"),
    ("17ef", "6009"): ("Lenovo", "ThinkPad Keyboard with TrackPoint"),
    ("18d1", "5026"): ("Google Inc.", None),
    ("22b8", "2e24"): ("Motorola PCS", None),
})

# The same for PCI ids (`udevadm hwdb --test=pci:v0000VVVVd0000DDDD`).
PCI_HWDB = {
    ("8086", "a33c"): ("Intel Corporation", "Cannon Lake PCH PCI Express Root Port"),
    ("8086", "2723"): ("Intel Corporation", "Wi-Fi 6 AX200"),
    ("1eac", "1001"): ("Quectel Wireless Solutions Co., Ltd.", "EM120R-GL LTE Modem"),
    ("1eac", "1007"): ("Quectel Wireless Solutions Co., Ltd.", None),
    ("14c3", "4d75"): ("MEDIATEK Corp.", "T700 5G Modem [5G Solution 5000]"),
}

WWAN_MAJOR = 234   # dynamic in the kernel; any free major looks the same to a program

# ---------------------------------------------------------------------------------------------
# Compact description.


def I(num, cls, sub, proto, driver=None, eps="bulk2", tty=None, acm=None, wdm=None, net=None,
      tty_props=None, ports=None, alt=None, name=None, bogus_number=None, wwan=None):
    """One interface.

    cls/sub/proto are ints. eps: "bulk2" (bulk in+out), "bulk2+int" (interrupt in + bulk
    in/out), "int" (one interrupt in), "none". tty: ttyUSBn name (usb-serial driver), acm:
    ttyACMn (cdc_acm), wdm: cdc-wdmN, net: network interface name. tty_props: extra udev
    properties on the tty (ModemManager hints). ports: {path: kind} for expected.json.
    alt: endpoints of alternate setting 1 (the active one), for CDC data interfaces whose
    alternate setting 0 has no endpoints (cdc_mbim, cdc_ncm). bogus_number: a value written to
    the sysfs bInterfaceNumber attribute instead of the real one. wwan: (device, port, type),
    e.g. ("wwan0", "wwan0mbim0", "MBIM"): the same cdc-wdm channel registered again as a wwan
    port under the interface, as kernels with CONFIG_WWAN do (cdc-wdm.c wdm_wwan_init).
    """
    return dict(num=num, cls=cls, sub=sub, proto=proto, driver=driver, eps=eps, tty=tty,
                acm=acm, wdm=wdm, net=net, tty_props=tty_props or {}, ports=ports or {},
                alt=alt, name=name, bogus_number=bogus_number, wwan=wwan)


def D(port, vid, pid, bcd, manufacturer, product, serial, interfaces, kind="other",
      dev_class=(0, 0, 0), bcd_usb=0x0200, speed="480", max_power=500, self_powered=False,
      at_port=None, extra_configs=(), active_config=1, max_packet0=64, maxchild=0,
      expected_extra=None, raw_attrs=None, no_interface_nodes=False, removable="removable",
      mtp_tag=None):
    """One device at bus port path `port` (e.g. "2" for 1-2, "1.3" for 1-1.3).

    manufacturer/product/serial: str, or None when the device has no such string (the
    descriptor index is then 0 and the sysfs attribute does not exist).
    extra_configs: further (bConfigurationValue, [interfaces]) configurations that are in the
    descriptors but not active. raw_attrs: {name: A:-line value} overriding attributes verbatim
    (already escaped for the umockdev format). no_interface_nodes: the descriptors list the
    interfaces but sysfs has no interface nodes (an unconfigured or half-enumerated device).
    mtp_tag: whether udev tags the device ID_MTP_DEVICE=1 / ID_MEDIA_PLAYER=1 (libmtp's hwdb and
    mtp-probe); None keeps the old default (any class-06 interface, or a handset).
    """
    return dict(port=port, vid=vid, pid=pid, bcd=bcd, manufacturer=manufacturer,
                product=product, serial=serial, interfaces=interfaces, kind=kind,
                dev_class=dev_class, bcd_usb=bcd_usb, speed=speed, max_power=max_power,
                self_powered=self_powered, at_port=at_port, extra_configs=list(extra_configs),
                active_config=active_config, max_packet0=max_packet0, maxchild=maxchild,
                expected_extra=expected_extra or {}, raw_attrs=raw_attrs or {},
                no_interface_nodes=no_interface_nodes, removable=removable, mtp_tag=mtp_tag)


MM_QCDM = {"ID_MM_PORT_TYPE_QCDM": "1"}
MM_GPS = {"ID_MM_PORT_TYPE_GPS": "1"}
MM_AT1 = {"ID_MM_PORT_TYPE_AT_PRIMARY": "1"}
MM_AT2 = {"ID_MM_PORT_TYPE_AT_SECONDARY": "1"}
MM_PPP = {"ID_MM_PORT_TYPE_AT_PPP": "1"}
MM_IGNORE = {"ID_MM_PORT_IGNORE": "1"}

# ---- device models (functions so several fixtures can place them at other ports/numbers) ----


def quectel_ec25(port, ttys=(0, 1, 2, 3), wdm=0, net="wwan0", serial="a1b2c3d4", with_secondary=True):
    t0, t1, t2, t3 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(1, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t1, tty_props=MM_GPS),
        I(2, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t2, tty_props=MM_AT1),
    ]
    kinds = {t0: "diag", t1: "gps", t2: "at"}
    if with_secondary:
        # Quectel documents if#3 as the modem (AT + PPP) port; ModemManager tags it AT secondary.
        ifs.append(I(3, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t3, tty_props=MM_AT2))
        kinds[t3] = "modem"
    ifs.append(I(4, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net))
    return D(port, 0x2c7c, 0x0125, 0x0318, "Quectel", "EC25", serial, ifs, kind="modem",
             max_power=500, at_port=f"/dev/ttyUSB{t2}",
             expected_extra={"ttyKinds": kinds})


def quectel_bg96(port, ttys, wdm, net, serial):
    t0, t1, t2 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(1, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t1, tty_props=MM_GPS),
        I(2, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t2, tty_props=MM_AT1),
        I(4, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net),
    ]
    return D(port, 0x2c7c, 0x0296, 0x0000, "Quectel, Incorporated", "LTE Module", serial, ifs,
             kind="modem", at_port=f"/dev/ttyUSB{t2}",
             expected_extra={"ttyKinds": {t0: "diag", t1: "gps", t2: "at"}})


def quectel_ep06(port, ttys, wdm, net, serial):
    t0, t1, t2 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(1, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t1, tty_props=MM_GPS),
        I(2, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t2, tty_props=MM_AT1),
        I(4, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net),
    ]
    return D(port, 0x2c7c, 0x0306, 0x0310, "Quectel", "EP06-E", serial, ifs, kind="modem",
             bcd_usb=0x0210, at_port=f"/dev/ttyUSB{t2}",
             expected_extra={"ttyKinds": {t0: "diag", t1: "gps", t2: "at"}})


def sierra_qcserial(port, pid, product, ttys, wdm, net, serial, bcd=0x0006):
    """Sierra MC7455 / EM7455 / MC7304 QMI composition: qcserial on 0 (DM), 2 (NMEA),
    3 (AT), qmi_wwan on 8; interface 10 (second QMI) not present in this composition."""
    t0, t2, t3 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "qcserial", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(2, 0xff, 0xff, 0xff, "qcserial", "bulk2+int", tty=t2, tty_props=MM_GPS),
        I(3, 0xff, 0xff, 0xff, "qcserial", "bulk2+int", tty=t3, tty_props=MM_AT1),
        I(8, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net),
    ]
    return D(port, 0x1199, pid, bcd, "Sierra Wireless, Incorporated", product, serial, ifs,
             kind="modem", bcd_usb=0x0210, at_port=f"/dev/ttyUSB{t3}",
             expected_extra={"ttyKinds": {t0: "diag", t2: "gps", t3: "at"}})


def sierra_mc7455(port, ttys=(0, 1, 2), wdm=0, net="wwan0", serial="LQ73520089021014"):
    return sierra_qcserial(port, 0x9071,
                           "Sierra Wireless MC7455 Qualcomm\u00ae Snapdragon\u2122 X7 LTE-A",
                           ttys, wdm, net, serial)


def sierra_em7455(port, ttys, wdm, net, serial="LF71757432011025"):
    return sierra_qcserial(port, 0x9079,
                           "Sierra Wireless EM7455 Qualcomm\u00ae Snapdragon\u2122 X7 LTE-A",
                           ttys, wdm, net, serial)


def sierra_mc7304(port, ttys, wdm, net, serial):
    return sierra_qcserial(port, 0x68c0, "MC7304", ttys, wdm, net, serial, bcd=0x0006)


def telit_le910c1(port, ttys, wdm, net, serial="3a5e9f1b", full=True):
    """Telit LE910C1 default composition 0x1201 (Telit LE910Cx Linux USB guide; ModemManager
    77-mm-telit-port-types.rules): 0 DIAG, 1 ADB, 2 RmNet (qmi_wwan), 3 NMEA, 4 AT primary,
    5 AT secondary, 6 SAP (ignored)."""
    if full:
        t0, t3, t4, t5, t6 = ttys
    else:
        t0, t3, t4 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(1, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
        I(2, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net),
        I(3, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t3, tty_props=MM_GPS),
        I(4, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t4, tty_props=MM_AT1),
    ]
    kinds = {t0: "diag", t3: "gps", t4: "at"}
    if full:
        ifs += [
            I(5, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t5, tty_props=MM_AT2),
            I(6, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t6, tty_props=MM_IGNORE),
        ]
        kinds[t5] = "at"
        kinds[t6] = "unknown"
    return D(port, 0x1bc7, 0x1201, 0x0318, "Android", "LE910C1-EU", serial, ifs, kind="modem",
             at_port=f"/dev/ttyUSB{t4}", expected_extra={"ttyKinds": kinds})


def simcom_sim7600(port, ttys=(0, 1, 2, 3, 4), wdm=0, net="wwan0", serial="0123456789ABCDEF"):
    """SIMCom SIM7600 series in its default RmNet composition (1e0e:9001): option on 0 (diag),
    1 (NMEA), 2 (AT), 3 (AT, PPP), 4 (audio); qmi_wwan on 5 (kernel option.c reserves 5 and 6,
    qmi_wwan.c binds 5; ModemManager 77-mm-simtech-port-types.rules tags 0 QCDM, 1 GPS,
    2 AT primary, 3 AT secondary, 4 audio). Interface 6 (reserved, function not published) is
    left out of this composition."""
    t0, t1, t2, t3, t4 = ttys
    ifs = [
        I(0, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0, tty_props=MM_QCDM),
        I(1, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t1, tty_props=MM_GPS),
        I(2, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t2, tty_props=MM_AT1),
        I(3, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t3, tty_props=MM_AT2),
        I(4, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t4,
          tty_props={"ID_MM_PORT_TYPE_AUDIO": "1"}),
        I(5, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net),
    ]
    # if#3 is the PPP (modem) port; if#4 carries PCM audio, not AT.
    kinds = {t0: "diag", t1: "gps", t2: "at", t3: "modem", t4: "unknown"}
    return D(port, 0x1e0e, 0x9001, 0x0318, "SimTech, Incorporated", "SimTech, Incorporated",
             serial, ifs, kind="modem", max_power=500, at_port=f"/dev/ttyUSB{t2}",
             expected_extra={"ttyKinds": kinds})


def simcom_sim7600_mbim(port, ttys=(0, 1, 2, 3), wdm=0, net="wwan0", serial="0123456789ABCDEF"):
    """SIMCom SIM7500/SIM7600 in its MBIM composition (1e0e:9003). option.c binds the serial
    driver to its vendor-class interfaces; no interface map is published and ModemManager has
    no port rule for this id, so the four serial ports here carry no hints and their order
    (diagnostic, NMEA, AT, AT) is this fixture's assumption: it is what a tool meets when it
    must find the AT port by asking."""
    t0, t1, t2, t3 = ttys
    ifs = [
        I(0, 0x02, 0x0e, 0x00, "cdc_mbim", "int", wdm=wdm, net=net),
        I(1, 0x0a, 0x00, 0x02, "cdc_mbim", "none", alt="bulk2"),
        I(2, 0xff, 0xff, 0xff, "option", "bulk2", tty=t0),
        I(3, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t1),
        I(4, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t2),
        I(5, 0xff, 0x00, 0x00, "option", "bulk2+int", tty=t3),
    ]
    kinds = {t0: "unknown", t1: "unknown", t2: "unknown", t3: "unknown"}
    return D(port, 0x1e0e, 0x9003, 0x0318, "SimTech, Incorporated", "SimTech, Incorporated",
             serial, ifs, kind="modem", max_power=500, expected_extra={"ttyKinds": kinds})


def huawei_e3372(port, ttys=(0, 1), wdm=0, net="wwan0", serial="0123456789ABCDEF",
                 only_pcui=False):
    """E3372h in stick mode (12d1:1506), ^SETPORT "A1,A2;12,1,16,A1,A2": if#0 4G PCUI
    (ff/02/12, AT), if#1 3G modem (ff/02/01, PPP), if#2 NCM (ff/02/16, huawei_cdc_ncm with
    cdc-wdm AT channel and wwan0), if#3/#4 CD-ROM and SD card (08/06/50)."""
    t_pcui, t_modem = ttys
    ifs = [I(0, 0xff, 0x02, 0x12, "option", "bulk2", tty=t_pcui)]
    kinds = {t_pcui: "at"}
    if not only_pcui:
        ifs.append(I(1, 0xff, 0x02, 0x01, "option", "bulk2+int", tty=t_modem))
        kinds[t_modem] = "modem"
    ifs += [
        I(2, 0xff, 0x02, 0x16, "huawei_cdc_ncm", "bulk2+int", wdm=wdm, net=net,
          ports={f"/dev/cdc-wdm{wdm}": "at"}),
        I(3, 0x08, 0x06, 0x50, "usb-storage", "bulk2"),
        I(4, 0x08, 0x06, 0x50, "usb-storage", "bulk2"),
    ]
    return D(port, 0x12d1, 0x1506, 0x0102, "HUAWEI_MOBILE", "HUAWEI_MOBILE", serial, ifs,
             kind="modem", max_power=2, at_port=f"/dev/ttyUSB{t_pcui}",
             expected_extra={"ttyKinds": kinds})


def fibocom_l850(port, wdm=0, net="wwan0", serial="004999010640000"):
    """Fibocom L850-GL (Intel XMM7360) in MBIM-only mode (2cb7:0007)."""
    ifs = [
        I(0, 0x02, 0x0e, 0x00, "cdc_mbim", "int", wdm=wdm, net=net, name="Fibocom L850 MBIM"),
        I(1, 0x0a, 0x00, 0x02, "cdc_mbim", "none", alt="bulk2"),
    ]
    return D(port, 0x2cb7, 0x0007, 0x0333, "Fibocom Wireless Inc.", "L850 LTE Module", serial,
             ifs, kind="modem", dev_class=(0xef, 0x02, 0x01), max_power=500)


def sierra_em7455_mbim(port, wdm=0, net="wwan0", serial="LF71757432011025", wwan=None):
    """EM7455 in its MBIM-only composition (what Lenovo and Dell ship, AT!USBCOMP with only the
    MBIM function): the same id 1199:9079, cdc_mbim on interface 12 (02/0e/00) with its data
    interface 13, no serial ports. Interface numbers as in Sierra's MBIM compositions (an
    EM7565 dump in geerlingguy/pi-router issue #1 shows if#12 cdc_mbim, #13 data)."""
    ifs = [
        I(12, 0x02, 0x0e, 0x00, "cdc_mbim", "int", wdm=wdm, net=net, name="Sierra Wireless MBIM", wwan=wwan),
        I(13, 0x0a, 0x00, 0x02, "cdc_mbim", "none", alt="bulk2"),
    ]
    return D(port, 0x1199, 0x9079, 0x0006, "Sierra Wireless, Incorporated",
             "Sierra Wireless EM7455 Qualcomm\u00ae Snapdragon\u2122 X7 LTE-A", serial, ifs,
             kind="modem", bcd_usb=0x0210, expected_extra={"profile": "sierra-em7455-mbim"})


def sierra_mc7455_qmi(port, wdm=0, net="wwan0", serial="LQ73520089021014"):
    """MC7455 switched to a QMI-only composition (no serial functions): qmi_wwan on
    interface 8, the interface the QMI function has in every Sierra composition."""
    ifs = [I(8, 0xff, 0xff, 0xff, "qmi_wwan", "bulk2+int", wdm=wdm, net=net)]
    return D(port, 0x1199, 0x9071, 0x0006, "Sierra Wireless, Incorporated",
             "Sierra Wireless MC7455 Qualcomm\u00ae Snapdragon\u2122 X7 LTE-A", serial, ifs,
             kind="modem", bcd_usb=0x0210, expected_extra={"profile": "sierra-mc7455"})


def PCI(addr, vid, did, svid, sdid, driver, wwan, ports, kind="modem", mhi=False,
        bridge="0000:00:1c.0", pci_class=0xff0000, profile=None, at_port=None):
    """One PCI(e) device at `addr` behind the root port `bridge`. wwan: the wwan device name
    (`wwan0`) or None for a device without one (not a modem; a correct tool does not list it).
    ports: [(name, type)]: type is the kernel's `type` attribute, or None on Linux 5.13, which
    had none (the name then tells). mhi: the wwan device hangs under `mhi0` (MHI modems:
    mhi_wwan_ctrl), else directly under the PCI device (t7xx, iosm)."""
    return dict(bus="pci", addr=addr, vid=vid, did=did, svid=svid, sdid=sdid, driver=driver,
                wwan=wwan, ports=ports, kind=kind, mhi=mhi, bridge=bridge, pci_class=pci_class,
                profile=profile, at_port=at_port)


def quectel_rm520n(addr="0000:03:00.0"):
    """Quectel RM520N-GL (SDX62) over MHI, mhi-pci-generic, in its default channel set:
    AT (DUN), MBIM and QCDM (DIAG) ports under mhi0 (as OpenWrt PR #18932 shows:
    wwan0at0, wwan0mbim0, wwan0qcdm0). The subsystem ids are this fixture's assumption."""
    return PCI(addr, 0x1eac, 0x1007, 0x1eac, 0x2001, "mhi-pci-generic", "wwan0",
               [("wwan0at0", "AT"), ("wwan0mbim0", "MBIM"), ("wwan0qcdm0", "QCDM")], mhi=True,
               profile="quectel-rm520n-gl", at_port="/dev/wwan0at0")


def fibocom_fm350(addr="0000:58:00.0", n=0):
    """Fibocom FM350-GL (MediaTek T700) over t7xx (mtk_t7xx): AT and MBIM ports directly under
    the PCI device (as wwan device `n`). The subsystem ids are this fixture's assumption."""
    return PCI(addr, 0x14c3, 0x4d75, 0x14c3, 0x4d75, "mtk_t7xx", f"wwan{n}",
               [(f"wwan{n}at0", "AT"), (f"wwan{n}mbim0", "MBIM")], pci_class=0x0d4000,
               bridge="0000:00:1c.4", profile="fibocom-fm350-gl", at_port=f"/dev/wwan{n}at0")


def quectel_em120r_linux513(addr="0000:03:00.0"):
    """Quectel EM120R-GL over MHI on Linux 5.13: ports named wwan0p<N><TYPE> and no `type`
    attribute (the kernel's naming before 5.14, e.g. wwan0p1AT -> wwan0at0 in snapd PR #14451)."""
    return PCI(addr, 0x1eac, 0x1001, 0x1eac, 0x2001, "mhi-pci-generic", "wwan0",
               [("wwan0p1QCDM", None), ("wwan0p2MBIM", None), ("wwan0p3AT", None)], mhi=True,
               profile="quectel-em120r-gl", at_port="/dev/wwan0p3AT")


def wifi_card(addr="0000:02:00.0"):
    """An Intel Wi-Fi 6 AX200 (iwlwifi): a PCI network device with no wwan child."""
    return PCI(addr, 0x8086, 0x2723, 0x8086, 0x0084, "iwlwifi", None, [], kind=None,
               pci_class=0x028000, bridge="0000:00:1c.2")


def google_pixel(port, serial="2A111FDH200B4C", pid=0x4ee7, product="Pixel 7"):
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
    ]
    return D(port, 0x18d1, pid, 0x0440, "Google", product, serial, ifs, kind="handset",
             bcd_usb=0x0210)


def xiaomi_phone(port, serial="8d3f5e2a"):
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
    ]
    return D(port, 0x2717, 0xff48, 0x0419, "Xiaomi", "Redmi Note 8 Pro", serial, ifs,
             kind="handset", bcd_usb=0x0210)


def apple_iphone(port, serial="00008030001A2D8E3C02802E", net="eth0"):
    """iPhone 05ac:12a8 after usbmuxd selected configuration 4 (PTP + Apple Mobile Device +
    Apple USB Ethernet). Configurations 1-3 are in the descriptors as on the real device."""
    cfg1 = [I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="PTP")]
    cfg2 = [
        I(0, 0x01, 0x01, 0x00, None, "none"),
        I(1, 0x01, 0x02, 0x00, None, "none"),
        I(2, 0x01, 0x02, 0x00, None, "none"),
        I(3, 0x03, 0x00, 0x00, None, "int"),
    ]
    cfg3 = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="PTP"),
        I(1, 0xff, 0xfe, 0x02, None, "bulk2", name="Apple Mobile Device"),
    ]
    cfg4 = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="PTP"),
        I(1, 0xff, 0xfe, 0x02, None, "bulk2", name="Apple Mobile Device"),
        I(2, 0xff, 0xfd, 0x01, "ipheth", "none", alt="bulk2", net=net,
          name="Apple USB Ethernet"),
    ]
    return D(port, 0x05ac, 0x12a8, 0x1605, "Apple Inc.", "iPhone", serial, cfg4,
             kind="handset", extra_configs=[(1, cfg1), (2, cfg2), (3, cfg3)], active_config=4,
             max_power=500)


def samsung_galaxy(port, acm=0, serial="R58M12ABCDE"):
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0x02, 0x02, 0x01, "cdc_acm", "int", acm=acm, name="CDC Abstract Control Model (ACM)"),
        I(2, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2", name="CDC ACM Data"),
        I(3, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
    ]
    return D(port, 0x04e8, 0x6860, 0x0400, "SAMSUNG", "SAMSUNG_Android", serial, ifs,
             kind="handset", at_port=f"/dev/ttyACM{acm}",
             expected_extra={"ttyKinds": {f"ACM{acm}": "at"}})


def kyocera_torque(port, serial="KYT6715A0012345"):
    """A phone whose maker has no profile: Kyocera DuraForce/Torque class (0482:059a, libmtp
    'Torque Model E6715'), file transfer on: MTP as still-image class 06/01/01 named "MTP",
    USB debugging off."""
    ifs = [I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP")]
    return D(port, 0x0482, 0x059a, 0x0226, "KYOCERA", "E6715", serial, ifs, kind="handset",
             mtp_tag=True)


def kyocera_vendor_mtp(port, serial="KYH0C6730A0067"):
    """A phone whose MTP is a vendor-specific interface (ff/ff/00) with no interface string,
    as older Android MTP stacks showed it; libmtp's hwdb entry (0482:085e 'Hydro Icon') makes
    udev tag it ID_MTP_DEVICE=1 / ID_MEDIA_PLAYER=1."""
    ifs = [I(0, 0xff, 0xff, 0x00, None, "bulk2+int")]
    return D(port, 0x0482, 0x085e, 0x0100, "KYOCERA", "C6730", serial, ifs, kind="handset",
             mtp_tag=True)


def nokia_hmd(port, serial="PL2GAR1234567890"):
    """Nokia 6.1 (HMD Global 2e04:c026, libmtp) with MTP and ADB."""
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
    ]
    return D(port, 0x2e04, 0xc026, 0x0414, "HMD Global", "Nokia 6.1", serial, ifs, kind="handset",
             bcd_usb=0x0210, expected_extra={"profile": "hmd-nokia-android"})


def sony_xperia(port, serial="CB5A2B3C4D"):
    """Sony Xperia in MTP + ADB (0fce:5xxx per libmtp's Sony legend; 5193 = Xperia Z + ADB)."""
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0xff, 0x42, 0x01, None, "bulk2", name="ADB Interface"),
    ]
    return D(port, 0x0fce, 0x5193, 0x0232, "Sony", "Xperia Z", serial, ifs, kind="handset",
             expected_extra={"profile": "sony-xperia"})


def lg_phone(port, acm=0, serial="LGH8150a1b2c3d4"):
    """LG G Flex 2 (1004:633e, libmtp) in MTP with LG's CDC ACM modem function (it answers AT,
    like Samsung's)."""
    ifs = [
        I(0, 0x06, 0x01, 0x01, None, "bulk2+int", name="MTP"),
        I(1, 0x02, 0x02, 0x01, "cdc_acm", "int", acm=acm, name="LGE Android Phone"),
        I(2, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2"),
    ]
    return D(port, 0x1004, 0x633e, 0x0100, "LGE", "LGE Android Phone", serial, ifs, kind="handset",
             at_port=f"/dev/ttyACM{acm}",
             expected_extra={"profile": "lg-android", "ttyKinds": {f"ACM{acm}": "at"}})


def alcatel_charging_only(port, serial="a405dl00112233"):
    """Alcatel A405DL (1bbb:901b, libmtp) with USB set to "No data transfer": the gadget shows
    one vendor-specific interface and nothing a host can use (no MTP, no ADB)."""
    ifs = [I(0, 0xff, 0xff, 0x00, None, "bulk2")]
    return D(port, 0x1bbb, 0x901b, 0x0404, "TCL", "A405DL", serial, ifs, kind="handset",
             mtp_tag=False, expected_extra={"profile": "tcl-alcatel-phone"})


def moto_tethering(port, net="usb0", serial="ZY22GXKQ7T"):
    """moto g with USB tethering on (22b8:2e24, 51-android.rules 'rndis'): RNDIS only, no MTP, no ADB."""
    ifs = [
        I(0, 0xe0, 0x01, 0x03, "rndis_host", "int", net=net, name="RNDIS Communications Control"),
        I(1, 0x0a, 0x00, 0x00, "rndis_host", "bulk2", name="RNDIS Ethernet Data"),
    ]
    return D(port, 0x22b8, 0x2e24, 0x0510, "motorola", "moto g(8) power", serial, ifs, kind="handset",
             mtp_tag=False, expected_extra={"profile": "motorola-moto-rndis"})


def canon_camera(port, serial="3E2A1B0C9D8F4E6A"):
    """Canon EOS 300D in PTP mode (04a9:3099): still-image 06/01/01 with no interface string."""
    ifs = [I(0, 0x06, 0x01, 0x01, None, "bulk2+int")]
    return D(port, 0x04a9, 0x3099, 0x0001, "Canon Inc.", "Canon Digital Camera", serial, ifs,
             mtp_tag=False, bcd_usb=0x0200)


def yubikey(port):
    """YubiKey 5 (1050:0407): HID keyboard (OTP), HID FIDO (U2F/FIDO2), CCID smart card."""
    ifs = [
        I(0, 0x03, 0x01, 0x01, "usbhid", "int"),
        I(1, 0x03, 0x00, 0x00, "usbhid", "int"),
        I(2, 0x0b, 0x00, 0x00, None, "bulk2+int"),
    ]
    return D(port, 0x1050, 0x0407, 0x0543, "Yubico", "YubiKey OTP+FIDO+CCID", None, ifs,
             speed="12", max_power=30, mtp_tag=False)


def titan_key(port):
    """Google Titan security key (18d1:5026): one HID FIDO interface, from a phone maker's id."""
    ifs = [I(0, 0x03, 0x00, 0x00, "usbhid", "int")]
    return D(port, 0x18d1, 0x5026, 0x0100, "Google Inc.", "Titan Security Key", None, ifs,
             speed="12", max_power=100, mtp_tag=False)


def novatel_mifi(port, net="usb0", serial="0123456789ABCDEF"):
    """Verizon/Novatel MiFi U620L (1410:9020) in its default end-user mode: RNDIS only."""
    ifs = [
        I(0, 0xe0, 0x01, 0x03, "rndis_host", "int", net=net, name="RNDIS Communications Control"),
        I(1, 0x0a, 0x00, 0x00, "rndis_host", "bulk2", name="RNDIS Ethernet Data"),
    ]
    return D(port, 0x1410, 0x9020, 0x0232, "Novatel Wireless", "MiFi U620L", serial, ifs,
             kind="hotspot", dev_class=(0xef, 0x02, 0x01), max_power=500)


def hub(port, vid=0x05e3, pid=0x0610, bcd=0x9332, manufacturer="GenesysLogic",
        product="USB2.1 Hub", ports=4, multi_tt=True):
    ifs = [I(0, 0x09, 0x00, 0x00, "hub", "int")]
    return D(port, vid, pid, bcd, manufacturer, product, None, ifs, kind="other",
             dev_class=(0x09, 0x00, 0x02 if multi_tt else 0x01), max_power=100,
             self_powered=True, maxchild=ports, bcd_usb=0x0210)


def keyboard(port, vid=0x046d, pid=0xc31c, bcd=0x6400, manufacturer="Logitech",
             product="USB Keyboard"):
    ifs = [I(0, 0x03, 0x01, 0x01, "usbhid", "int"), I(1, 0x03, 0x00, 0x00, "usbhid", "int")]
    return D(port, vid, pid, bcd, manufacturer, product, None, ifs, speed="1.5",
             bcd_usb=0x0110, max_packet0=8, max_power=90)


def mouse(port):
    ifs = [I(0, 0x03, 0x01, 0x02, "usbhid", "int")]
    return D(port, 0x046d, 0xc077, 0x7200, "Logitech", "USB Optical Mouse", None, ifs,
             speed="1.5", bcd_usb=0x0200, max_packet0=8, max_power=100)


def storage(port, vid=0x0781, pid=0x5567, bcd=0x0100, manufacturer="SanDisk",
            product="Cruzer Blade", serial="4C530001230914114420"):
    ifs = [I(0, 0x08, 0x06, 0x50, "usb-storage", "bulk2")]
    return D(port, vid, pid, bcd, manufacturer, product, serial, ifs, max_power=200)


def ftdi(port, tty, serial="A50285BI", pid=0x6001, product="FT232R USB UART"):
    ifs = [I(0, 0xff, 0xff, 0xff, "ftdi_sio", "bulk2", tty=tty)]
    return D(port, 0x0403, pid, 0x0600, "FTDI", product, serial, ifs, speed="12",
             max_power=90, max_packet0=8, expected_extra={"ttyKinds": {tty: "unknown"}})


def cp210x(port, tty, serial="0001"):
    ifs = [I(0, 0xff, 0x00, 0x00, "cp210x", "bulk2", tty=tty, name="CP2102 USB to UART Bridge Controller")]
    return D(port, 0x10c4, 0xea60, 0x0100, "Silicon Labs", "CP2102 USB to UART Bridge Controller",
             serial, ifs, speed="12", max_power=100, expected_extra={"ttyKinds": {tty: "unknown"}})


def ch340(port, tty):
    ifs = [I(0, 0xff, 0x01, 0x02, "ch341", "bulk2+int", tty=tty)]
    return D(port, 0x1a86, 0x7523, 0x0264, None, "USB Serial", None, ifs, speed="12",
             bcd_usb=0x0110, max_packet0=8, max_power=98,
             expected_extra={"ttyKinds": {tty: "unknown"}})


def pl2303(port, tty):
    ifs = [I(0, 0xff, 0x00, 0x00, "pl2303", "bulk2+int", tty=tty)]
    return D(port, 0x067b, 0x2303, 0x0300, "Prolific Technology Inc.", "USB-Serial Controller",
             None, ifs, speed="12", bcd_usb=0x0110, max_power=100,
             expected_extra={"ttyKinds": {tty: "unknown"}})


def arduino_uno(port, acm, serial="85736323838351F0D1E1"):
    ifs = [
        I(0, 0x02, 0x02, 0x01, "cdc_acm", "int", acm=acm),
        I(1, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2"),
    ]
    return D(port, 0x2341, 0x0043, 0x0001, "Arduino (www.arduino.cc)", None, serial, ifs,
             speed="12", bcd_usb=0x0110, dev_class=(0x02, 0x00, 0x00), max_power=100,
             max_packet0=8, expected_extra={"ttyKinds": {f"ACM{acm}": "unknown"}})


def ublox7_gnss(port, acm):
    """A u-blox 7 GNSS receiver (1546:01a7, usb.ids "[u-blox 7]"): one CDC ACM function
    that streams NMEA. Its vendor makes cellular modules too; it is not one."""
    ifs = [
        I(0, 0x02, 0x02, 0x01, "cdc_acm", "int", acm=acm),
        I(1, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2"),
    ]
    return D(port, 0x1546, 0x01a7, 0x0100, "u-blox AG - www.u-blox.com", "u-blox 7 - GPS/GNSS Receiver", None, ifs,
             speed="12", bcd_usb=0x0110, dev_class=(0x02, 0x00, 0x00), max_power=100,
             max_packet0=64, expected_extra={"ttyKinds": {f"ACM{acm}": "unknown"}})


def pico(port, acm, serial="E6614103E73F2E2F"):
    """Raspberry Pi Pico with the Pico SDK's USB stdio (2e8a:000a): CDC ACM (02/02/00) plus
    the vendor reset interface (ff/00/01, no kernel driver)."""
    ifs = [
        I(0, 0x02, 0x02, 0x00, "cdc_acm", "int", acm=acm, name="Board CDC"),
        I(1, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2"),
        I(2, 0xff, 0x00, 0x01, None, "none", name="Reset"),
    ]
    return D(port, 0x2e8a, 0x000a, 0x0100, "Raspberry Pi", "Pico", serial, ifs,
             speed="12", dev_class=(0xef, 0x02, 0x01), max_power=250,
             expected_extra={"ttyKinds": {f"ACM{acm}": "unknown"}})


def bluetooth(port):
    ifs = [I(0, 0xe0, 0x01, 0x01, "btusb", "bulk2+int"), I(1, 0xe0, 0x01, 0x01, "btusb", "none")]
    return D(port, 0x8087, 0x0a2b, 0x0010, None, None, None, ifs, speed="12",
             dev_class=(0xe0, 0x01, 0x01), max_power=100, removable="fixed")


def webcam(port):
    ifs = [I(0, 0x0e, 0x01, 0x00, "uvcvideo", "int", name="Integrated Camera"),
           I(1, 0x0e, 0x02, 0x00, "uvcvideo", "none")]
    return D(port, 0x04f2, 0xb604, 0x0027, "Chicony Electronics Co.,Ltd.", "Integrated Camera",
             "0001", ifs, dev_class=(0xef, 0x02, 0x01), removable="fixed")


def usb_ethernet(port, net):
    ifs = [I(0, 0xff, 0xff, 0x00, "r8152", "bulk2+int", net=net)]
    return D(port, 0x0bda, 0x8153, 0x3000, "Realtek", "USB 10/100/1000 LAN", "000001", ifs,
             bcd_usb=0x0210, max_power=180)


# ---------------------------------------------------------------------------------------------
# Fixtures


def fixture_hostile():
    esc_product = "\x1b[31mEvil\x1b]0;pwned\x07"
    esc_manufacturer = "ACME\x1b[2J\r\nInjected: line"
    big = "Huge" * 16384         # 65536 bytes
    devs = [
        # 1-1: escape sequences, CR/LF in strings; vendor-specific interface without driver.
        D("1", 0xdead, 0xbeef, 0x0100, esc_manufacturer, esc_product, "ESC\x1b[0mSERIAL",
          [I(0, 0xff, 0xff, 0xff, None, "bulk2")], kind="other",
          expected_extra={"hostile": {"manufacturerContainsEscape": True,
                                      "manufacturerContainsNewline": True,
                                      "productContainsEscape": True,
                                      "productContainsBell": True,
                                      "serialContainsEscape": True}}),
        # 1-2: serial with bytes that are not UTF-8 (0xff 0xfe, a lone continuation byte 0x80,
        # and a truncated sequence 0xc3), written through the A: line's octal escapes.
        D("2", 0x1d50, 0x6018, 0x0100, "Black Sphere Technologies", "Black Magic Probe",
          None, [I(0, 0x02, 0x02, 0x01, "cdc_acm", "int", acm=0),
                 I(1, 0x0a, 0x00, 0x00, "cdc_acm", "bulk2")],
          kind="other", raw_attrs={"serial": "BAD\\377\\376\\200X\\303\\n"},
          expected_extra={"hostile": {"serialInvalidUTF8": True,
                                      "serialRawHex": "424144fffe8058c3"},
                          "ttyKinds": {"ACM0": "unknown"}}),
        # 1-3: a 64 KiB product attribute.
        D("3", 0xdead, 0xbeef, 0x0200, "Big", big, "BIG0001",
          [I(0, 0xff, 0x00, 0x00, None, "bulk2")], kind="other",
          expected_extra={"hostile": {"productLength": len(big)}}),
        # 1-4: no manufacturer, product or serial at all (string indices 0, no attributes).
        D("4", 0xdead, 0xbeef, 0x0300, None, None, None,
          [I(0, 0xff, 0xff, 0xff, None, "bulk2")], kind="other",
          expected_extra={"hostile": {"noStrings": True}}),
        # 1-5: interfaces without driver and a bInterfaceNumber that is not hex; plus an
        # interface number that does not match its sysfs name.
        D("5", 0xdead, 0xbeef, 0x0400, "Bogus", "Bogus Interfaces", "BOGUS5",
          [I(0, 0xff, 0xff, 0xff, None, "bulk2", bogus_number="zz"),
           I(1, 0xff, 0xff, 0xff, None, "bulk2", bogus_number="ff"),
           I(2, 0xff, 0x00, 0x00, None, "int")], kind="other",
          expected_extra={"hostile": {"bogusInterfaceNumbers": True}}),
        # 1-6: a known modem id (Quectel EC25) whose interfaces are all missing from sysfs.
        dict(quectel_ec25("6", serial="NOIFACE6"), no_interface_nodes=True,
             expected_extra={"hostile": {"interfacesMissing": True}}),
    ]
    return devs


def fixture_bench():
    """66 devices on one root hub: 8 hubs (some cascaded), 8 modems, 9 handsets, a hotspot,
    input devices, storage, serial adapters, webcam, bluetooth and USB ethernet."""
    devs = []
    tty = iter(range(0, 200))
    acm = iter(range(0, 50))
    wdm = iter(range(0, 20))
    wwan = iter(range(0, 20))
    eth = iter(range(0, 20))

    def nt(n):
        return tuple(next(tty) for _ in range(n))

    # Root ports 1-4 are hubs; 1-1.x and 1-2.x hubs cascade.
    devs.append(hub("1", ports=7, vid=0x05e3, pid=0x0610))
    devs.append(hub("2", ports=7, vid=0x0424, pid=0x2514, bcd=0xb3b3, manufacturer=None,
                    product=None))
    devs.append(hub("3", ports=7, vid=0x1a40, pid=0x0101, bcd=0x0111, manufacturer=None,
                    product="USB 2.0 Hub [MTT]"))
    devs.append(hub("4", ports=7, vid=0x05e3, pid=0x0608, bcd=0x6077, manufacturer=None,
                    product="USB2.0 Hub", multi_tt=False))
    devs.append(hub("1.7", ports=7, vid=0x1a40, pid=0x0101, bcd=0x0111, manufacturer=None,
                    product="USB 2.0 Hub [MTT]"))
    devs.append(hub("2.7", ports=4, vid=0x05e3, pid=0x0608, bcd=0x6077, manufacturer=None,
                    product="USB2.0 Hub", multi_tt=False))
    # Modems on hub 1
    devs.append(quectel_ec25("1.1", ttys=nt(4), wdm=next(wdm), net=f"wwan{next(wwan)}",
                             serial="b1e25001"))
    devs.append(sierra_mc7455("1.2", ttys=nt(3), wdm=next(wdm), net=f"wwan{next(wwan)}",
                              serial="LQ73520089021015"))
    devs.append(telit_le910c1("1.3", ttys=nt(5), wdm=next(wdm), net=f"wwan{next(wwan)}",
                              serial="3a5e9f1c"))
    devs.append(huawei_e3372("1.4", ttys=nt(2), wdm=next(wdm), net=f"wwan{next(wwan)}"))
    devs.append(quectel_bg96("1.5", ttys=nt(3), wdm=next(wdm), net=f"wwan{next(wwan)}",
                             serial="bg960005"))
    devs.append(fibocom_l850("1.6", wdm=next(wdm), net=f"wwan{next(wwan)}",
                             serial="004999010640006"))
    # Phones and hotspot on hub 1.7
    devs.append(google_pixel("1.7.1", serial="2A111FDH200B71"))
    devs.append(apple_iphone("1.7.2", serial="00008030001A2D8E3C027172", net=f"eth{next(eth)}"))
    devs.append(samsung_galaxy("1.7.3", acm=next(acm), serial="R58M12ABC73"))
    devs.append(xiaomi_phone("1.7.4", serial="8d3f5e74"))
    devs.append(novatel_mifi("1.7.5", net="usb0", serial="MIFI00000175"))
    devs.append(keyboard("1.7.6"))
    devs.append(mouse("1.7.7"))
    # Hub 2: storage and serial adapters
    devs.append(storage("2.1", serial="4C530001230914114421"))
    devs.append(storage("2.2", vid=0x0951, pid=0x1666, bcd=0x0110, manufacturer="Kingston",
                        product="DataTraveler 3.0", serial="E0D55EA574E1F3B1A9730222"))
    devs.append(storage("2.3", vid=0x090c, pid=0x1000, bcd=0x1100, manufacturer="SMI Corporation",
                        product="USB DISK", serial="AA00000000000485"))
    devs.append(ftdi("2.4", next(tty), serial="A50285B4"))
    devs.append(cp210x("2.5", next(tty), serial="0025"))
    devs.append(ch340("2.6", next(tty)))
    devs.append(pl2303("2.7.1", next(tty)))
    devs.append(ftdi("2.7.2", next(tty), serial="FT6015A2", pid=0x6015, product="FT230X Basic UART"))
    devs.append(arduino_uno("2.7.3", next(acm), serial="85736323838351F0D273"))
    devs.append(pico("2.7.4", next(acm), serial="E6614103E73F2774"))
    # Hub 3: input, more storage, ethernet
    devs.append(keyboard("3.1", vid=0x413c, pid=0x2113, bcd=0x0110, manufacturer="Dell",
                         product="Dell KB216 Wired Keyboard"))
    devs.append(D("3.2", 0x046d, 0xc52b, 0x1211, "Logitech", "USB Receiver", None,
                  [I(0, 0x03, 0x01, 0x01, "usbhid", "int"), I(1, 0x03, 0x01, 0x02, "usbhid", "int"),
                   I(2, 0x03, 0x00, 0x00, "usbhid", "int")], speed="12", max_power=98,
                  max_packet0=32))
    devs.append(usb_ethernet("3.3", net=f"eth{next(eth)}"))
    devs.append(storage("3.4", serial="4C530001230914114434"))
    devs.append(storage("3.5", vid=0x0951, pid=0x1666, bcd=0x0110, manufacturer="Kingston",
                        product="DataTraveler 3.0", serial="E0D55EA574E1F3B1A9730335"))
    devs.append(mouse("3.6"))
    devs.append(ftdi("3.7", next(tty), serial="A50285B7"))
    # Hub 4: phones, modems
    devs.append(sierra_em7455("4.1", ttys=nt(3), wdm=next(wdm), net=f"wwan{next(wwan)}",
                              serial="LF71757432014101"))
    devs.append(google_pixel("4.2", serial="2A111FDH200B42", pid=0x4ee2, product="Pixel 6a"))
    devs.append(samsung_galaxy("4.3", acm=next(acm), serial="R58M12ABC43"))
    devs.append(keyboard("4.4"))
    devs.append(storage("4.5", serial="4C530001230914114445"))
    devs.append(cp210x("4.6", next(tty), serial="0046"))
    devs.append(arduino_uno("4.7", next(acm), serial="85736323838351F0D447"))
    # Root ports 5-14: directly attached
    devs.append(webcam("5"))
    devs.append(bluetooth("6"))
    devs.append(quectel_ep06("7", ttys=nt(3), wdm=next(wdm), net=f"wwan{next(wwan)}",
                             serial="ep060007"))
    devs.append(storage("8", serial="4C530001230914114408"))
    devs.append(keyboard("9"))
    devs.append(google_pixel("10", serial="2A111FDH200B10"))
    devs.append(ftdi("11", next(tty), serial="A5028511"))
    devs.append(mouse("12"))
    devs.append(storage("13", vid=0x090c, pid=0x1000, bcd=0x1100, manufacturer="SMI Corporation",
                        product="USB DISK", serial="AA00000000000413"))
    devs.append(apple_iphone("14", serial="00008030001A2D8E3C021414", net=f"eth{next(eth)}"))
    # A 7-port hub on root port 15 with a 4-port hub cascaded behind it.
    devs.append(hub("15", ports=7, vid=0x1a40, pid=0x0101, bcd=0x0111, manufacturer=None,
                    product="USB 2.0 Hub [MTT]"))
    devs.append(storage("15.1", serial="4C530001230914115151"))
    devs.append(keyboard("15.2", vid=0x413c, pid=0x2113, bcd=0x0110, manufacturer="Dell",
                         product="Dell KB216 Wired Keyboard"))
    devs.append(ch340("15.3", next(tty)))
    devs.append(pl2303("15.4", next(tty)))
    devs.append(mouse("15.5"))
    devs.append(storage("15.6", vid=0x0951, pid=0x1666, bcd=0x0110, manufacturer="Kingston",
                        product="DataTraveler 3.0", serial="E0D55EA574E1F3B1A9731556"))
    devs.append(hub("15.7", ports=4, vid=0x05e3, pid=0x0608, bcd=0x6077, manufacturer=None,
                    product="USB2.0 Hub", multi_tt=False))
    devs.append(xiaomi_phone("15.7.1", serial="8d3f5e1571"))
    devs.append(storage("15.7.2", serial="4C530001230914115172"))
    devs.append(ftdi("15.7.3", next(tty), serial="A5028573"))
    devs.append(keyboard("15.7.4"))
    devs.append(storage("16", serial="4C530001230914114416"))
    return devs


def fixture_eight():
    """Eight modems of six models, each with exactly one AT tty (secondary AT/PPP ports are
    disabled in this composition, as AT+QCFG="usbcfg" or AT!USBCOMP can do)."""
    return [
        quectel_ec25("1", ttys=(0, 1, 2, None), wdm=0, net="wwan0", serial="e8e25001",
                     with_secondary=False),
        sierra_mc7455("2", ttys=(3, 4, 5), wdm=1, net="wwan1", serial="LQ73520089028002"),
        sierra_em7455("3", ttys=(6, 7, 8), wdm=2, net="wwan2", serial="LF71757432018003"),
        telit_le910c1("4", ttys=(9, 10, 11), wdm=3, net="wwan3", serial="3a5e9f04", full=False),
        quectel_bg96("5", ttys=(12, 13, 14), wdm=4, net="wwan4", serial="bg968005"),
        quectel_ep06("6", ttys=(15, 16, 17), wdm=5, net="wwan5", serial="ep068006"),
        huawei_e3372("7", ttys=(18, None), wdm=6, net="wwan6", only_pcui=True),
        sierra_mc7304("8", ttys=(19, 20, 21), wdm=7, net="wwan7", serial="LQ43130089028008"),
    ]


FIXTURES = {
    "quectel-ec25.umockdev": lambda: [quectel_ec25("2")],
    "sierra-mc7455.umockdev": lambda: [sierra_mc7455("2")],
    "mbim-fibocom-l850.umockdev": lambda: [fibocom_l850("2")],
    "huawei-e3372.umockdev": lambda: [huawei_e3372("2")],
    "simcom-sim7600.umockdev": lambda: [simcom_sim7600("2")],
    "simcom-sim7600-mbim.umockdev": lambda: [simcom_sim7600_mbim("2")],
    "android-pixel.umockdev": lambda: [google_pixel("2")],
    "iphone.umockdev": lambda: [apple_iphone("2")],
    "samsung-acm.umockdev": lambda: [samsung_galaxy("2")],
    "hotspot-mifi.umockdev": lambda: [novatel_mifi("2")],
    "hub-ordinary.umockdev": lambda: [
        hub("3"),
        keyboard("3.1"),
        storage("3.2"),
        ftdi("3.3", 0),
        arduino_uno("3.4", 0),
        cp210x("4", 1),
        pico("5", 1),
        ublox7_gnss("6", 2),
    ],
    "sierra-em7455-mbim.umockdev": lambda: [sierra_em7455_mbim("2")],
    "sierra-mc7455-qmi.umockdev": lambda: [sierra_mc7455_qmi("2")],
    "pcie-quectel-rm520n.umockdev": lambda: [quectel_rm520n(), wifi_card()],
    "pcie-fibocom-fm350.umockdev": lambda: [fibocom_fm350()],
    "pcie-linux513-names.umockdev": lambda: [quectel_em120r_linux513()],
    "usb-mbim-wwan-duplicate.umockdev": lambda: [
        sierra_em7455_mbim("2", wwan=("wwan0", "wwan0mbim0", "MBIM")),
        fibocom_fm350(n=1),   # a PCI modem beside it: its wwan device is wwan1
    ],
    "hostile.umockdev": fixture_hostile,
    "bench-64.umockdev": fixture_bench,
    "report-three-modems.umockdev": lambda: [
        quectel_ec25("1", ttys=(0, 1, 2, 3), wdm=0, net="wwan0"),
        sierra_em7455("2", ttys=(4, 5, 6), wdm=1, net="wwan1"),
        telit_le910c1("3", ttys=(7, 8, 9, 10, 11), wdm=2, net="wwan2"),
    ],
    "report-eight-modems.umockdev": fixture_eight,
    "phones-no-profile.umockdev": lambda: [
        kyocera_torque("1"),
        kyocera_vendor_mtp("2"),
    ],
    "phones-new-profiles.umockdev": lambda: [
        nokia_hmd("1"),
        sony_xperia("2"),
        lg_phone("3"),
        alcatel_charging_only("4"),
    ],
    "phone-tethering.umockdev": lambda: [moto_tethering("1")],
    "phone-lookalikes.umockdev": lambda: [
        canon_camera("1"),
        yubikey("2"),
        titan_key("3"),
        storage("4", vid=0x04e8, pid=0x4001, bcd=0x0100, manufacturer="Samsung",
                product="PSSD T7", serial="S6WBNS0T123456A"),
        keyboard("5", vid=0x17ef, pid=0x6009, bcd=0x0100, manufacturer="Lenovo",
                 product="ThinkPad USB Keyboard with TrackPoint"),
        ftdi("6", 0),
    ],
    "report-five.umockdev": lambda: [
        quectel_ec25("1", ttys=(0, 1, 2, 3), wdm=0, net="wwan0"),
        sierra_em7455("2", ttys=(4, 5, 6), wdm=1, net="wwan1"),
        telit_le910c1("3", ttys=(7, 8, 9, 10, 11), wdm=2, net="wwan2"),
        google_pixel("4"),
        samsung_galaxy("5", acm=0),
    ],
    "report-demo.umockdev": lambda: [
        quectel_ec25("1", ttys=(0, 1, 2, 3), wdm=0, net="wwan0"),
        sierra_mc7455("2", ttys=(4, 5, 6), wdm=1, net="wwan1"),
        google_pixel("3"),
    ],
}

# ---------------------------------------------------------------------------------------------
# Encoding helpers


def esc_attr(value):
    """Escape a str for an A: line: umockdev runs the value through g_strcompress(), so
    backslash, newline, CR, tab and every control or non-ASCII byte are written as C escapes
    (octal for bytes). Valid UTF-8 above ASCII is kept as is."""
    out = []
    for ch in value:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7f:
            out.append("\\%03o" % o)
        else:
            out.append(ch)
    return "".join(out)


def attr(value):
    """A sysfs attribute value as the kernel writes it: text plus a final newline."""
    return esc_attr(str(value)) + "\\n"


UDEV_ALLOWED = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-.:=@_")


def udev_encode(s):
    """udev's encode_devnode_name(): keep [alnum #+-.:=@_] and valid UTF-8, \\xNN the rest."""
    out = []
    for ch in s:
        if ch in UDEV_ALLOWED or ord(ch) > 0x7f:
            out.append(ch)
        else:
            for b in ch.encode("utf-8"):
                out.append("\\x%02x" % b)
    return "".join(out)


def udev_replace(s):
    """udev usb_id: whitespace -> '_', then chars outside [alnum #+-.:=@_] -> '_'; trailing
    whitespace is dropped first."""
    s = s.strip()
    out = []
    for ch in s:
        if ch.isspace():
            out.append("_")
        elif ch in UDEV_ALLOWED or ord(ch) > 0x7f:
            out.append(ch)
        else:
            out.append("_")
    return "".join(out)


def le16(v):
    return bytes([v & 0xff, (v >> 8) & 0xff])


def endpoints(kind, alloc, speed):
    hs = speed in ("480",)
    bulk_max = 512 if hs else 64
    eps = []
    if kind in ("bulk2+int", "int"):
        eps.append((alloc("in"), 0x03, 16 if hs else 8, 9 if hs else 10))
    if kind in ("bulk2", "bulk2+int"):
        eps.append((alloc("in"), 0x02, bulk_max, 0))
        eps.append((alloc("out"), 0x02, bulk_max, 0))
    return eps


def ep_desc(ep):
    addr, attrs, maxp, interval = ep
    return bytes([7, 5, addr, attrs]) + le16(maxp) + bytes([interval])


def cdc_functional(iface, data_num):
    cls, sub, proto = iface["cls"], iface["sub"], iface["proto"]
    num = iface["num"]
    if cls == 0x02 and sub == 0x02:          # ACM
        return (bytes([5, 0x24, 0x00, 0x10, 0x01]) + bytes([5, 0x24, 0x01, 0x00, data_num])
                + bytes([4, 0x24, 0x02, 0x02]) + bytes([5, 0x24, 0x06, num, data_num]))
    if cls == 0xe0 and sub == 0x01 and proto == 0x03:   # RNDIS
        return (bytes([5, 0x24, 0x00, 0x10, 0x01]) + bytes([5, 0x24, 0x01, 0x00, data_num])
                + bytes([4, 0x24, 0x02, 0x00]) + bytes([5, 0x24, 0x06, num, data_num]))
    if cls == 0x02 and sub == 0x0e:          # MBIM
        return (bytes([5, 0x24, 0x00, 0x20, 0x01]) + bytes([5, 0x24, 0x06, num, data_num])
                + bytes([12, 0x24, 0x1b, 0x00, 0x01]) + le16(4096) + bytes([32, 128])
                + le16(1500) + bytes([0x20]))
    return b""


class Ctx:
    """Per-fixture counters (devnum, ifindex, string indices are per device)."""

    def __init__(self):
        self.devnum = 1
        self.ifindex = 2
        self.mac = 0
        self.wwan_minor = 0


def build_descriptors(dev, ctx_strings):
    """Device descriptor + all configuration descriptors; also returns per-config interface
    endpoint tables (for bNumEndpoints of the active alternate setting)."""
    i_m = 1 if dev["manufacturer"] is not None else 0
    i_p = 2 if dev["product"] is not None else 0
    i_s = 3 if dev["serial"] is not None or "serial" in dev["raw_attrs"] else 0
    configs = sorted([(dev["active_config"], dev["interfaces"])] + dev["extra_configs"],
                     key=lambda c: c[0])
    c, s, p = dev["dev_class"]
    dd = (bytes([18, 1]) + le16(dev["bcd_usb"]) + bytes([c, s, p, dev["max_packet0"]])
          + le16(dev["vid"]) + le16(dev["pid"]) + le16(dev["bcd"])
          + bytes([i_m, i_p, i_s, len(configs)]))
    out = dd
    active_eps = {}
    for value, ifaces in configs:
        ep_in = [0]
        ep_out = [0]

        def alloc(direction):
            if direction == "in":
                ep_in[0] += 1
                return 0x80 | ep_in[0]
            ep_out[0] += 1
            return ep_out[0]

        body = b""
        by_num = sorted(ifaces, key=lambda x: x["num"])
        for idx, iface in enumerate(by_num):
            # Interface association for a CDC function (communication + data) in a composite
            # (ef/02/01) device.
            nxt = by_num[idx + 1] if idx + 1 < len(by_num) else None
            is_comm = iface["cls"] in (0x02, 0xe0) and nxt is not None and nxt["cls"] == 0x0a
            if is_comm and dev["dev_class"] == (0xef, 0x02, 0x01):
                body += bytes([8, 0x0b, iface["num"], 2, iface["cls"], iface["sub"],
                               iface["proto"], 0])
            eps0 = endpoints(iface["eps"], alloc, dev["speed"])
            alts = [(0, eps0)]
            if iface["alt"]:
                alts.append((1, endpoints(iface["alt"], alloc, dev["speed"])))
            for alt_no, eps in alts:
                iidx = 0
                if iface["name"] and alt_no == 0:
                    iidx = ctx_strings(iface["name"])
                body += bytes([9, 4, iface["num"], alt_no, len(eps), iface["cls"],
                               iface["sub"], iface["proto"], iidx])
                if alt_no == 0 and is_comm:
                    body += cdc_functional(iface, nxt["num"])
                for ep in eps:
                    body += ep_desc(ep)
            if value == dev["active_config"]:
                active_eps[iface["num"]] = alts[-1]
        attrs = 0x80 | (0x40 if dev["self_powered"] else 0) | 0x20 * (1 if dev["kind"] != "other" else 0)
        total = 9 + len(body)
        power_units = dev["max_power"] // 2
        cfg = (bytes([9, 2]) + le16(total) + bytes([len(ifaces), value, 0, attrs, power_units]))
        out += cfg + body
        if value == dev["active_config"]:
            dev["_bmAttributes"] = attrs
    return out, active_eps


# ---------------------------------------------------------------------------------------------
# Record writer


class Writer:
    def __init__(self):
        self.blocks = []

    def block(self, path, lines):
        self.blocks.append("P: " + path + "\n" + "".join(l + "\n" for l in lines))

    def text(self):
        return "\n".join(self.blocks)


def driver_link(sys_path, bus, driver):
    depth = len(sys_path.strip("/").split("/"))   # from /devices/... dir back to /sys
    return "../" * depth + f"bus/{bus}/drivers/{driver}"


def sorted_props(props):
    return [f"E: {k}={v}" for k, v in sorted(props.items())]


def sorted_attrs(attrs):
    return [f"A: {k}={v}" for k, v in sorted(attrs.items())]


def root_hub_port_path(port):
    return "1-" + port


def write_fixture(all_devices):
    w = Writer()
    ctx = Ctx()
    expected = []
    devices = [d for d in all_devices if d.get("bus") != "pci"]
    pci_devices = [d for d in all_devices if d.get("bus") == "pci"]

    # PCI host controller, as umockdev-record includes every parent.
    w.block(PCI_PATH, [
        f"L: driver={driver_link(PCI_PATH, 'pci', 'xhci_hcd')}",
        "E: DRIVER=xhci_hcd",
        "E: ID_MODEL_FROM_DATABASE=Cannon Lake PCH USB 3.1 xHCI Host Controller",
        "E: ID_PCI_CLASS_FROM_DATABASE=Serial bus controller",
        "E: ID_PCI_INTERFACE_FROM_DATABASE=XHCI",
        "E: ID_PCI_SUBCLASS_FROM_DATABASE=USB controller",
        "E: ID_VENDOR_FROM_DATABASE=Intel Corporation",
        "E: MODALIAS=pci:v00008086d0000A36Dsv000017AAsd0000312Abc0Csc03i30",
        "E: PCI_CLASS=C0330",
        "E: PCI_ID=8086:A36D",
        "E: PCI_SLOT_NAME=0000:00:14.0",
        "E: PCI_SUBSYS_ID=17AA:312A",
        "E: SUBSYSTEM=pci",
        "A: class=0x0c0330\\n",
        "A: device=0xa36d\\n",
        "A: irq=125\\n",
        "A: subsystem_device=0x312a\\n",
        "A: subsystem_vendor=0x17aa\\n",
        "A: vendor=0x8086\\n",
    ])

    # Root hub usb1.
    root_ports = max([int(d["port"].split(".")[0]) for d in devices] + [4])
    root_ports = max(root_ports, 16)
    root = D("", 0x1d6b, 0x0002, 0x0601, "Linux 6.1.0-13-amd64 xhci-hcd", "xHCI Host Controller",
             PCI_SLOT, [I(0, 0x09, 0x00, 0x00, "hub", "int")], dev_class=(0x09, 0x00, 0x01),
             max_power=0, self_powered=True, maxchild=root_ports, removable="unknown")
    root["_name"] = "usb1"
    root["_syspath"] = PCI_PATH + "/usb1"
    emit_device(w, ctx, root, is_root=True)

    by_port = {}
    for d in devices:
        by_port[d["port"]] = d
    for d in devices:
        if "." in d["port"]:
            parent_port = d["port"].rsplit(".", 1)[0]
            if parent_port not in by_port:
                raise SystemExit(f"device {d['port']}: parent hub {parent_port} missing")
            parent = by_port[parent_port]
            d["_syspath"] = parent["_syspath"] + "/1-" + d["port"]
        else:
            d["_syspath"] = root["_syspath"] + "/1-" + d["port"]
        d["_name"] = "1-" + d["port"]
        emit_device(w, ctx, d)
        expected.append(expected_entry(d))

    bridges = set()
    for d in sorted(pci_devices, key=lambda x: x["addr"]):
        if d["bridge"] not in bridges:
            bridges.add(d["bridge"])
            emit_pci_bridge(w, d["bridge"])
        emit_pci_device(w, ctx, d)
        if d["wwan"] is not None:
            expected.append(expected_pci_entry(d))
    return w.text(), expected


def pci_function_lines(path, vid, did, svid, sdid, pci_class, driver):
    """The attributes and udev properties of a PCI function, as the kernel and udev's
    20-pci-vendor-model.rules give them."""
    vendor, model = PCI_HWDB.get(("%04x" % vid, "%04x" % did), (None, None))
    slot = path.rsplit("/", 1)[1]
    props = {
        "SUBSYSTEM": "pci",
        "PCI_CLASS": "%X" % pci_class,
        "PCI_ID": "%04X:%04X" % (vid, did),
        "PCI_SUBSYS_ID": "%04X:%04X" % (svid, sdid),
        "PCI_SLOT_NAME": slot,
        "MODALIAS": "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X"
                    % (vid, did, svid, sdid, pci_class >> 16, (pci_class >> 8) & 0xff, pci_class & 0xff),
    }
    lines = []
    if driver:
        props["DRIVER"] = driver
        lines.append(f"L: driver={driver_link(path, 'pci', driver)}")
    if vendor:
        props["ID_VENDOR_FROM_DATABASE"] = vendor
    if model:
        props["ID_MODEL_FROM_DATABASE"] = model
    attrs = {
        "class": "0x%06x\\n" % pci_class,
        "vendor": "0x%04x\\n" % vid,
        "device": "0x%04x\\n" % did,
        "subsystem_vendor": "0x%04x\\n" % svid,
        "subsystem_device": "0x%04x\\n" % sdid,
        "modalias": attr(props["MODALIAS"]),
    }
    return lines + sorted_props(props) + sorted_attrs(attrs)


def emit_pci_bridge(w, bridge):
    path = "/devices/pci0000:00/" + bridge
    w.block(path, pci_function_lines(path, 0x8086, 0xa33c, 0x17aa, 0x312a, 0x060400, "pcieport"))


def emit_pci_device(w, ctx, d):
    path = f"/devices/pci0000:00/{d['bridge']}/{d['addr']}"
    d["_syspath"] = path
    w.block(path, pci_function_lines(path, d["vid"], d["did"], d["svid"], d["sdid"], d["pci_class"], d["driver"]))
    if d["wwan"] is None:
        return
    parent = path
    if d["mhi"]:
        # MHI controller device (bus mhi); mhi_wwan_ctrl registers the wwan ports under it.
        parent = path + "/mhi0"
        w.block(parent, ["E: DEVTYPE=mhi_controller", "E: SUBSYSTEM=mhi"])
    emit_wwan(w, ctx, parent + "/wwan/" + d["wwan"], d["wwan"], d["ports"], usb=False)


def emit_wwan(w, ctx, wwan_path, wwan_name, ports, usb):
    """A wwan device and its ports (drivers/net/wwan/wwan_core.c: class wwan, device types
    wwan_dev and wwan_port, attributes index and type). ModemManager's 80-mm-candidate.rules
    make only the ports without a USB ancestor candidates and tag them by type (or, on Linux
    5.13, by the name's suffix): AT primary, MBIM, QCDM; QMI and FIREHOSE ignored."""
    index = int(wwan_name[4:])
    w.block(wwan_path, ["E: DEVTYPE=wwan_dev", "E: SUBSYSTEM=wwan", f"A: index={index}\\n"])
    for name, ptype in ports:
        minor = ctx.wwan_minor
        ctx.wwan_minor += 1
        props = {
            "SUBSYSTEM": "wwan",
            "DEVTYPE": "wwan_port",
            "DEVNAME": f"/dev/{name}",
            "MAJOR": str(WWAN_MAJOR),
            "MINOR": str(minor),
        }
        if not usb:
            props["ID_MM_CANDIDATE"] = "1"
            mm_type = ptype or next((t for t in ("MBIM", "QMI", "AT", "QCDM", "FIREHOSE") if name.endswith(t)), None)
            hint = {"AT": "ID_MM_PORT_TYPE_AT_PRIMARY", "MBIM": "ID_MM_PORT_TYPE_MBIM", "QCDM": "ID_MM_PORT_TYPE_QCDM",
                    "QMI": "ID_MM_PORT_IGNORE", "FIREHOSE": "ID_MM_PORT_IGNORE"}.get(mm_type)
            if hint:
                props[hint] = "1"
        attrs = {"dev": f"{WWAN_MAJOR}:{minor}\\n"}
        if ptype is not None:
            attrs["type"] = attr(ptype)
        w.block(f"{wwan_path}/{name}", [f"N: {name}"] + sorted_props(props) + sorted_attrs(attrs))


def wwan_kind(name, ptype):
    """What a correct tool calls a wwan port: by the type attribute, else by the name."""
    if ptype is None:
        rest = name[4:].lstrip("0123456789")
        if rest.startswith("p") and rest[1:2].isdigit():
            rest = rest[1:].lstrip("0123456789")
        ptype = rest.rstrip("0123456789").upper()
    return {"AT": "at", "MBIM": "mbim", "QMI": "qmi", "QCDM": "diag", "NMEA": "gps"}.get(ptype, "unknown")


def expected_pci_entry(d):
    vid, did = "%04x" % d["vid"], "%04x" % d["did"]
    vendor, model = PCI_HWDB.get((vid, did), (None, None))
    return {
        "id": d["addr"],
        "busPath": d["addr"],
        "bus": "pci",
        "kind": d["kind"],
        "vendorId": vid,
        "productId": did,
        "subsystemVendorId": "%04x" % d["svid"],
        "subsystemProductId": "%04x" % d["sdid"],
        "vendor": vendor,
        "model": model,
        "driver": d["driver"],
        "profile": d["profile"],
        "atPort": d["at_port"],
        "interfaces": 0,
        "ports": {f"/dev/{n}": wwan_kind(n, t) for n, t in d["ports"]},
    }


def emit_device(w, ctx, dev, is_root=False):
    strings = {}

    def string_index(s):
        if s not in strings:
            strings[s] = 4 + len(strings)
        return strings[s]

    descriptors, active_eps = build_descriptors(dev, string_index)
    devnum = ctx.devnum
    ctx.devnum += 1
    dev["_devnum"] = devnum
    busnum = 1
    path = dev["_syspath"]
    vid, pid, bcd = "%04x" % dev["vid"], "%04x" % dev["pid"], "%04x" % dev["bcd"]
    c, s, p = dev["dev_class"]
    ifaces = sorted(dev["interfaces"], key=lambda x: x["num"])
    hw_vendor, hw_model = HWDB.get((vid, pid), (None, None))
    devpath = "0" if is_root else dev["port"]
    id_path = f"pci-{PCI_SLOT}" if is_root else f"pci-{PCI_SLOT}-usb-0:{devpath}"
    id_path_tag = id_path.replace(":", "_").replace(".", "_")

    vendor_str = dev["manufacturer"] if dev["manufacturer"] is not None else vid
    model_str = dev["product"] if dev["product"] is not None else pid
    id_vendor = udev_replace(vendor_str)[:63]
    id_model = udev_replace(model_str)[:63]
    id_serial = f"{id_vendor}_{id_model}"
    if dev["serial"] is not None and "serial" not in dev["raw_attrs"]:
        id_serial += "_" + udev_replace(dev["serial"])[:63]
    id_usb_ifaces = ":"
    seen = set()
    for iface in ifaces:
        t = "%02x%02x%02x" % (iface["cls"], iface["sub"], iface["proto"])
        if t not in seen:
            seen.add(t)
            id_usb_ifaces += t + ":"
    dev["_id_serial"] = id_serial
    dev["_usb_props"] = {
        "ID_BUS": "usb",
        "ID_VENDOR_ID": vid,
        "ID_MODEL_ID": pid,
        "ID_REVISION": bcd,
        "ID_VENDOR": id_vendor,
        "ID_VENDOR_ENC": udev_encode(vendor_str)[:255],
        "ID_MODEL": id_model,
        "ID_MODEL_ENC": udev_encode(model_str)[:255],
        "ID_SERIAL": id_serial,
        "ID_USB_INTERFACES": id_usb_ifaces,
    }
    if dev["serial"] is not None and "serial" not in dev["raw_attrs"]:
        dev["_usb_props"]["ID_SERIAL_SHORT"] = udev_replace(dev["serial"])[:63]
    if hw_vendor:
        dev["_usb_props"]["ID_VENDOR_FROM_DATABASE"] = hw_vendor
    if hw_model:
        dev["_usb_props"]["ID_MODEL_FROM_DATABASE"] = hw_model

    props = {
        "SUBSYSTEM": "usb",
        "DEVTYPE": "usb_device",
        "DRIVER": "usb",
        "DEVNAME": "/dev/bus/usb/%03d/%03d" % (busnum, devnum),
        "BUSNUM": "%03d" % busnum,
        "DEVNUM": "%03d" % devnum,
        "MAJOR": "189",
        "MINOR": str((busnum - 1) * 128 + devnum - 1),
        "PRODUCT": "%x/%x/%x" % (dev["vid"], dev["pid"], dev["bcd"]),
        "TYPE": "%d/%d/%d" % (c, s, p),
        "ID_PATH": id_path,
        "ID_PATH_TAG": id_path_tag,
        "ID_FOR_SEAT": f"usb-{id_path_tag}",
        "TAGS": ":seat:",
        "CURRENT_TAGS": ":seat:",
    }
    props.update(dev["_usb_props"])
    if hw_vendor == "Linux Foundation" or dev["dev_class"][0] == 0x09:
        props["ID_AUTOSUSPEND"] = "1"
    mtp_tag = dev["mtp_tag"]
    if mtp_tag is None:
        mtp_tag = any(i["cls"] == 0x06 for i in ifaces) or dev["kind"] == "handset"
    if mtp_tag:
        props["ID_MEDIA_PLAYER"] = "1"
        props["ID_MTP_DEVICE"] = "1"
    if dev["kind"] == "modem":
        props["ID_MM_CANDIDATE"] = "1"

    active = dev["active_config"]
    attrs = {
        "authorized": "1\\n",
        "avoid_reset_quirk": "0\\n",
        "bConfigurationValue": attr(active),
        "bDeviceClass": attr("%02x" % c),
        "bDeviceSubClass": attr("%02x" % s),
        "bDeviceProtocol": attr("%02x" % p),
        "bMaxPacketSize0": attr(dev["max_packet0"]),
        "bMaxPower": attr("%dmA" % (dev["max_power"] // 2 * 2)),
        "bNumConfigurations": attr(1 + len(dev["extra_configs"])),
        "bNumInterfaces": attr("%2d" % len(ifaces)),
        "bcdDevice": attr(bcd),
        "bmAttributes": attr("%x" % dev["_bmAttributes"]),
        "busnum": attr(busnum),
        "configuration": "\\n",
        "dev": attr("189:%d" % ((busnum - 1) * 128 + devnum - 1)),
        "devnum": attr(devnum),
        "devpath": attr(devpath),
        "idProduct": attr(pid),
        "idVendor": attr(vid),
        "ltm_capable": "no\\n",
        "maxchild": attr(dev["maxchild"]),
        "quirks": "0x0\\n",
        "removable": attr(dev["removable"]),
        "rx_lanes": "1\\n",
        "tx_lanes": "1\\n",
        "speed": attr(dev["speed"]),
        "urbnum": attr(100 + 17 * devnum),
        "version": attr("%2x.%02x" % (dev["bcd_usb"] >> 8, dev["bcd_usb"] & 0xff)),
    }
    for key in ("manufacturer", "product", "serial"):
        if dev[key] is not None:
            attrs[key] = attr(dev[key])
    attrs.update(dev["raw_attrs"])
    if is_root:
        attrs["interface_authorized_default"] = "1\\n"
        attrs["authorized_default"] = "1\\n"

    hexdesc = descriptors.hex().upper()
    lines = [
        "N: bus/usb/%03d/%03d=%s" % (busnum, devnum, hexdesc),
        f"L: driver={driver_link(path, 'usb', 'usb')}",
    ]
    lines += sorted_props(props)
    lines += sorted_attrs(attrs)
    lines.append(f"H: descriptors={hexdesc}")
    w.block(path, lines)

    if dev["no_interface_nodes"]:
        return
    for iface in ifaces:
        emit_interface(w, ctx, dev, iface, active_eps[iface["num"]], is_root)


def emit_interface(w, ctx, dev, iface, active_alt, is_root):
    alt_no, eps = active_alt
    name = f"{dev['_name']}:{dev['active_config']}.{iface['num']}" if not is_root else f"1-0:1.{iface['num']}"
    path = dev["_syspath"] + "/" + name
    iface["_name"] = name
    c, s, p = dev["dev_class"]
    modalias = ("usb:v%04Xp%04Xd%04Xdc%02Xdsc%02Xdp%02Xic%02Xisc%02Xip%02Xin%02X"
                % (dev["vid"], dev["pid"], dev["bcd"], c, s, p, iface["cls"], iface["sub"],
                   iface["proto"], iface["num"]))
    props = {
        "SUBSYSTEM": "usb",
        "DEVTYPE": "usb_interface",
        "PRODUCT": "%x/%x/%x" % (dev["vid"], dev["pid"], dev["bcd"]),
        "TYPE": "%d/%d/%d" % (c, s, p),
        "INTERFACE": "%d/%d/%d" % (iface["cls"], iface["sub"], iface["proto"]),
        "MODALIAS": modalias,
    }
    lines = []
    if iface["driver"]:
        props["DRIVER"] = iface["driver"]
        lines.append(f"L: driver={driver_link(path, 'usb', iface['driver'])}")
    number = iface["bogus_number"] if iface["bogus_number"] is not None else "%02x" % iface["num"]
    attrs = {
        "authorized": "1\\n",
        "bAlternateSetting": attr("%2d" % alt_no),
        "bInterfaceClass": attr("%02x" % iface["cls"]),
        "bInterfaceSubClass": attr("%02x" % iface["sub"]),
        "bInterfaceProtocol": attr("%02x" % iface["proto"]),
        "bInterfaceNumber": attr(number),
        "bNumEndpoints": attr("%02x" % len(eps)),
        "modalias": attr(modalias),
        "supports_autosuspend": "1\\n",
    }
    if iface["name"]:
        attrs["interface"] = attr(iface["name"])
    lines += sorted_props(props) + sorted_attrs(attrs)
    w.block(path, lines)

    # Things that hang under the interface.
    child_base = {
        "ID_BUS": "usb",
        "ID_VENDOR_ID": dev["_usb_props"]["ID_VENDOR_ID"],
        "ID_MODEL_ID": dev["_usb_props"]["ID_MODEL_ID"],
        "ID_REVISION": dev["_usb_props"]["ID_REVISION"],
        "ID_VENDOR": dev["_usb_props"]["ID_VENDOR"],
        "ID_VENDOR_ENC": dev["_usb_props"]["ID_VENDOR_ENC"],
        "ID_MODEL": dev["_usb_props"]["ID_MODEL"],
        "ID_MODEL_ENC": dev["_usb_props"]["ID_MODEL_ENC"],
        "ID_SERIAL": dev["_usb_props"]["ID_SERIAL"],
        "ID_USB_INTERFACES": dev["_usb_props"]["ID_USB_INTERFACES"],
        "ID_USB_INTERFACE_NUM": "%02x" % iface["num"],
        "ID_USB_DRIVER": iface["driver"] or "",
        "ID_PATH": f"pci-{PCI_SLOT}-usb-0:{dev['port']}:{dev['active_config']}.{iface['num']}",
    }
    for k in ("ID_SERIAL_SHORT", "ID_VENDOR_FROM_DATABASE", "ID_MODEL_FROM_DATABASE"):
        if k in dev["_usb_props"]:
            child_base[k] = dev["_usb_props"][k]
    child_base["ID_PATH_TAG"] = child_base["ID_PATH"].replace(":", "_").replace(".", "_")
    mm = dev["kind"] in ("modem", "hotspot")

    if iface["tty"] is not None:
        n = iface["tty"]
        serial_driver = {"option": "option1"}.get(iface["driver"], iface["driver"])
        upath = f"{path}/ttyUSB{n}"
        w.block(upath, [
            f"L: driver={driver_link(upath, 'usb-serial', serial_driver)}",
            f"E: DRIVER={serial_driver}",
            "E: SUBSYSTEM=usb-serial",
            "A: port_number=0\\n",
        ])
        tprops = dict(child_base)
        tprops.update({
            "SUBSYSTEM": "tty",
            "DEVNAME": f"/dev/ttyUSB{n}",
            "MAJOR": "188",
            "MINOR": str(n),
            "DEVLINKS": " ".join(tty_links(dev, iface, child_base, port_no=0)),
            "TAGS": ":systemd:",
            "CURRENT_TAGS": ":systemd:",
        })
        if mm:
            tprops["ID_MM_CANDIDATE"] = "1"
        tprops.update(iface["tty_props"])
        tpath = f"{upath}/tty/ttyUSB{n}"
        tl = [f"N: ttyUSB{n}"] + [f"S: {l[5:]}" for l in tty_links(dev, iface, child_base, 0)]
        tl += sorted_props(tprops) + [f"A: dev=188:{n}\\n"]
        w.block(tpath, tl)
    if iface["acm"] is not None:
        n = iface["acm"]
        tprops = dict(child_base)
        tprops.update({
            "SUBSYSTEM": "tty",
            "DEVNAME": f"/dev/ttyACM{n}",
            "MAJOR": "166",
            "MINOR": str(n),
            "DEVLINKS": " ".join(tty_links(dev, iface, child_base, None)),
            "TAGS": ":systemd:",
            "CURRENT_TAGS": ":systemd:",
        })
        if mm or dev["kind"] == "handset":
            tprops["ID_MM_CANDIDATE"] = "1"
        tprops.update(iface["tty_props"])
        tpath = f"{path}/tty/ttyACM{n}"
        tl = [f"N: ttyACM{n}"] + [f"S: {l[5:]}" for l in tty_links(dev, iface, child_base, None)]
        tl += sorted_props(tprops) + [f"A: dev=166:{n}\\n"]
        w.block(tpath, tl)
    if iface["wdm"] is not None:
        n = iface["wdm"]
        wprops = dict(child_base)
        wprops.update({
            "SUBSYSTEM": "usbmisc",
            "DEVNAME": f"/dev/cdc-wdm{n}",
            "MAJOR": "180",
            "MINOR": str(176 + n),
        })
        if mm:
            wprops["ID_MM_CANDIDATE"] = "1"
        w.block(f"{path}/usbmisc/cdc-wdm{n}",
                [f"N: cdc-wdm{n}"] + sorted_props(wprops) + [f"A: dev=180:{176 + n}\\n"])
    if iface["wwan"] is not None:
        wwan_name, port_name, ptype = iface["wwan"]
        emit_wwan(w, ctx, f"{path}/wwan/{wwan_name}", wwan_name, [(port_name, ptype)], usb=True)
    if iface["net"] is not None:
        name = iface["net"]
        ctx.ifindex += 1
        ctx.mac += 1
        mac = "02:00:00:00:%02x:%02x" % (ctx.mac >> 8, ctx.mac & 0xff)
        nprops = dict(child_base)
        nprops.update({
            "SUBSYSTEM": "net",
            "INTERFACE": name,
            "IFINDEX": str(ctx.ifindex),
            "ID_NET_DRIVER": iface["driver"],
            "ID_NET_NAME_MAC": "enx" + mac.replace(":", ""),
            "ID_NET_NAME_PATH": "enp0s20f0u%si%d" % (dev["port"].replace(".", "u"), iface["num"])
            if not name.startswith("wwan") else "wwp0s20f0u%si%d" % (dev["port"].replace(".", "u"), iface["num"]),
        })
        if name.startswith("wwan"):
            nprops["DEVTYPE"] = "wwan"
        if mm:
            nprops["ID_MM_CANDIDATE"] = "1"
        w.block(f"{path}/net/{name}", sorted_props(nprops) + [
            f"A: address={mac}\\n",
            "A: addr_len=6\\n",
            f"A: ifindex={ctx.ifindex}\\n",
            "A: mtu=1500\\n",
            "A: operstate=down\\n",
            "A: type=1\\n",
        ])


def tty_links(dev, iface, base, port_no):
    suffix = f"-port{port_no}" if port_no is not None else ""
    links = [f"/dev/serial/by-path/{base['ID_PATH']}{suffix}"]
    if dev["serial"] is not None:
        links.insert(0, f"/dev/serial/by-id/usb-{base['ID_SERIAL']}-if{base['ID_USB_INTERFACE_NUM']}{suffix}")
    return links


# ---------------------------------------------------------------------------------------------
# expected.json


def port_kind_for(dev, iface, path):
    if path in iface["ports"]:
        return iface["ports"][path]
    tk = dev["expected_extra"].get("ttyKinds", {})
    if iface["tty"] is not None and path == f"/dev/ttyUSB{iface['tty']}":
        return tk.get(iface["tty"], "unknown")
    if iface["acm"] is not None and path == f"/dev/ttyACM{iface['acm']}":
        return tk.get(f"ACM{iface['acm']}", "unknown")
    if path.startswith("/dev/cdc-wdm"):
        return "mbim" if iface["driver"] == "cdc_mbim" else "qmi"
    return "net"


def expected_entry(dev):
    vid, pid = "%04x" % dev["vid"], "%04x" % dev["pid"]
    hw_vendor, hw_model = HWDB.get((vid, pid), (None, None))
    ports = {}
    if not dev["no_interface_nodes"]:
        for iface in sorted(dev["interfaces"], key=lambda x: x["num"]):
            paths = []
            if iface["tty"] is not None:
                paths.append(f"/dev/ttyUSB{iface['tty']}")
            if iface["acm"] is not None:
                paths.append(f"/dev/ttyACM{iface['acm']}")
            if iface["wdm"] is not None:
                paths.append(f"/dev/cdc-wdm{iface['wdm']}")
            if iface["net"] is not None:
                paths.append(iface["net"])
            for pth in paths:
                ports[pth] = port_kind_for(dev, iface, pth)
    e = {
        "id": dev["_name"],
        "busPath": dev["_name"],
        "bus": "usb",
        "kind": dev["kind"],
        "vendorId": vid,
        "productId": pid,
        "vendor": hw_vendor,
        "model": hw_model,
        "manufacturer": dev["manufacturer"],
        "product": dev["product"],
        "serial": dev["serial"],
        "atPort": None if dev["no_interface_nodes"] else dev["at_port"],
        # Without interface nodes in sysfs, a correct tool reads them from the configuration
        # descriptor through libusb, so they are still all reported.
        "interfaces": len(dev["interfaces"]),
        "ports": ports,
    }
    if "profile" in dev["expected_extra"]:
        e["profile"] = dev["expected_extra"]["profile"]
    hostile = dev["expected_extra"].get("hostile")
    if hostile:
        if hostile.get("serialInvalidUTF8"):
            e["serial"] = None   # not a valid string; see serialRawHex
        if "productLength" in hostile:
            e["product"] = None  # too long to list; see productLength
        e.update(hostile)
    return e


# ---------------------------------------------------------------------------------------------


def check_hwdb():
    bad = 0
    tables = [(f"usb:v{v.upper()}p{p.upper()}", v, p, names) for (v, p), names in HWDB.items()]
    tables += [(f"pci:v0000{v.upper()}d0000{p.upper()}", v, p, names) for (v, p), names in PCI_HWDB.items()]
    for key, v, p, (vendor, model) in sorted(tables):
        out = subprocess.run(["udevadm", "hwdb", f"--test={key}"],
                             capture_output=True, text=True).stdout
        got = dict(l.split("=", 1) for l in out.splitlines() if "=" in l)
        gv, gm = got.get("ID_VENDOR_FROM_DATABASE"), got.get("ID_MODEL_FROM_DATABASE")
        if (gv, gm) != (vendor, model):
            bad += 1
            print(f"hwdb mismatch {v}:{p}: table {vendor!r}/{model!r}, hwdb {gv!r}/{gm!r}")
    print("hwdb table:", "OK" if not bad else f"{bad} mismatches")
    return bad == 0


def main():
    expected = {"_notes": [
        "Generated by generate.py; one entry per device a correct tool reports, in bus order.",
        "Root hubs (usb1, 1d6b:0002) and the PCI controller are not listed.",
        "vendor/model: udev hwdb (ID_VENDOR_FROM_DATABASE / ID_MODEL_FROM_DATABASE); null where "
        "the hwdb has no entry.",
        "manufacturer/product/serial: the device's own strings (sysfs attributes); null where "
        "the device has none.",
        "ports: path -> kind for every tty, cdc-wdm and net interface under the device. tty "
        "kinds follow ModemManager's ID_MM_PORT_TYPE_* hints and vendor documentation "
        "(Quectel if#3 and Huawei ff/02/01 are the PPP 'modem' port); serial ports of devices "
        "of kind 'other' are 'unknown' and give no atPort.",
        "hostile.umockdev: serial/product are null where the raw value is not a usable string; "
        "the extra keys say what can be asserted instead.",
        "simcom-sim7600.umockdev: if#3 is the PPP 'modem' port (ModemManager tags it AT "
        "secondary); if#4 is the audio port (ID_MM_PORT_TYPE_AUDIO) and stays 'unknown'.",
        "PCI modems: id and busPath are the PCI address, vendorId/productId the PCI ids, bus 'pci', "
        "interfaces 0; ports are the wwan ports with kinds from the kernel's type (AT at, MBIM mbim, QCDM "
        "diag) or, without a type attribute, from the name. PCI devices without a wwan child are not "
        "listed; a USB channel's wwan twin (usb-mbim-wwan-duplicate) is not listed.",
        "simcom-sim7600-mbim.umockdev: no published port map and no udev hints: every serial "
        "port is 'unknown' and there is no atPort until the ports are asked (report, probe).",
    ]}
    for fname, make in FIXTURES.items():
        devices = make()
        text, exp = write_fixture(devices)
        with open(os.path.join(HERE, fname), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        expected[fname] = exp
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(expected, f, indent=2, ensure_ascii=True, sort_keys=False)
        f.write("\n")
    if "--check-hwdb" in sys.argv:
        if not check_hwdb():
            sys.exit(1)


if __name__ == "__main__":
    main()
