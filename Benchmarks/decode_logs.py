#!/usr/bin/env python3
"""Writes the AT logs the decode benchmark reads, one per shape, each about SIZE MB.

  repeating   one session pasted over and over (what the old benchmark used)
  polling     a monitoring loop, no timestamps: signal values move among a few, the cell
              changes now and then, operator steady
  stamped     a terminal capture with a timestamp on every line; signal, cell and Quectel
              serving-cell measurements change on every poll; URCs and SIM errors between
  all-new     the worst case: short lines, every reply different (random cell ids)

usage: decode_logs.py DIR [SIZE_MB]
"""
import random
import sys

out_dir = sys.argv[1]
size = int(sys.argv[2]) * 1024 * 1024 if len(sys.argv) > 2 else 50 * 1024 * 1024
rng = random.Random(2026)


def write(name, make_block):
    with open(f"{out_dir}/{name}.log", "w") as f:
        n = 0
        while n < size:
            block = make_block()
            f.write(block)
            n += len(block)


def repeating():
    return ("AT+CGMI\r\nQuectel\r\n\r\nOK\r\nAT+CPIN?\r\n+CPIN: READY\r\n\r\nOK\r\n"
            "+CREG: 1\r\nAT+CSQ\r\n+CSQ: 21,99\r\n\r\nOK\r\nAT+COPS?\r\n+COPS: 0,0,\"T-Mobile\",7\r\n\r\nOK\r\n"
            "[2026-11-20 14:03:22.123] AT+CEREG?\r\n+CEREG: 0,1\r\n\r\nOK\r\nAT+CPIN?\r\n+CME ERROR: 10\r\n")


poll = {"n": 0, "cell": 0x01A2D001}


def polling():
    poll["n"] += 1
    if poll["n"] % 100 == 0:
        poll["cell"] = rng.randint(0, 2**28)
    lines = ["AT+CSQ", f"+CSQ: {rng.randint(14, 20)},99", "", "OK",
             "AT+CESQ", f"+CESQ: 99,99,255,255,{rng.randint(12, 20)},{rng.randint(40, 52)}", "", "OK",
             "AT+CEREG?", f"+CEREG: 2,1,\"1A2B\",\"{poll['cell']:08X}\",7", "", "OK",
             "AT+COPS?", '+COPS: 0,0,"T-Mobile",7', "", "OK"]
    return "\r\n".join(lines) + "\r\n"


def stamped():
    lines = []
    cmd, reply = rng.choice([("AT+CGMI", "Quectel"), ("AT+CGMM", "EC25"), ("AT+CGMR", "EC25EFAR06A06M4G"),
                             ("AT+CPIN?", "+CPIN: READY"), ("AT+COPS?", '+COPS: 0,0,"T-Mobile",7')])
    lines += [cmd, reply, "", "OK"]
    lines += ["AT+CSQ", f"+CSQ: {rng.randint(5, 31)},99", "", "OK"]
    lines += ["AT+CEREG?", f"+CEREG: 2,{rng.choice([1, 1, 1, 5, 2])},\"{rng.randint(0, 65535):04X}\","
              f"\"{rng.randint(0, 2**28):07X}\",7", "", "OK"]
    lines += ['AT+QENG="servingcell"',
              f'+QENG: "servingcell","NOCONN","LTE","FDD",310,260,{rng.randint(0, 2**28):X},{rng.randint(0, 503)},'
              f'66536,66,5,5,{rng.randint(0, 65535):X},{-rng.randint(70, 120)},{-rng.randint(5, 15)},'
              f'{-rng.randint(40, 80)},{rng.randint(-5, 25)},{rng.randint(0, 15)},{rng.randint(0, 30)},-', "", "OK"]
    if rng.random() < 0.1:
        lines.append("+CEREG: 1")
    if rng.random() < 0.05:
        lines += ["AT+CPIN?", "+CME ERROR: 10"]
    out = []
    for line in lines:
        poll["n"] += 1
        t = poll["n"] * 0.0137
        out.append(f"[2026-11-20 {int(t // 3600) % 24:02d}:{int(t // 60) % 60:02d}:{t % 60:06.3f}] {line}\r\n")
    return "".join(out)


def all_new():
    lines = ["AT+CSQ", f"+CSQ: {rng.randint(5, 31)},99", "", "OK",
             "AT+CESQ", f"+CESQ: 99,99,255,255,{rng.randint(0, 34)},{rng.randint(0, 97)}", "", "OK",
             "AT+CREG?", f"+CREG: 2,1,\"{rng.randint(0, 65535):04X}\",\"{rng.randint(0, 2**28):07X}\",7", "", "OK"]
    return "\r\n".join(lines) + "\r\n"


for name, make in (("repeating", repeating), ("polling", polling), ("stamped", stamped), ("all-new", all_new)):
    write(name, make)
