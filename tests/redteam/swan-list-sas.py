#!/usr/bin/env python3
"""Writes list-sas.txt (swanctl) or statusall.txt (ipsec.conf) for a site
folder, as a healthy established tunnel would show it (from what
`ipsecdiag show` read of its config). Used by tests/redteam/strongswan-scenarios."""
import json, subprocess, sys, os
d = sys.argv[1]
out = subprocess.run([os.environ["IPSECDIAG"], "show", "--format", "json", d],
                     capture_output=True, text=True).stdout
s = json.loads(out)["sites"][0]
stroke = any(os.path.basename(i["path"]) == "ipsec.conf" for i in s["inputs"]) if s.get("inputs") and isinstance(s["inputs"][0], dict) and "path" in s["inputs"][0] else os.path.exists(os.path.join(d, "ipsec.conf"))
lines = []
n = 0
for p1 in s["phase1"]:
    peer = p1["peer"] or p1.get("remote_gateway")
    if peer in (None, "", "any", "%any") or peer.startswith("127."):
        continue
    p1 = dict(p1, peer=peer)
    n += 1
    loc, peer = p1["local"] or "192.168.0.1", p1["peer"]
    kids = [p2 for p2 in s["phase2"] if p2["ikeid"] == p1["ikeid"]]
    if stroke:
        nm = p1["ikeid"]
        lines.append(f"     {nm}[{n}]: ESTABLISHED 5 minutes ago, {loc}[{loc}]...{peer}[{peer}]")
        lines.append(f"     {nm}[{n}]: IKEv{p1['ike_version'] or 2} SPIs: 5e329ee6df4fb30{n}_i* b1b9f7bd4f2884b{n}_r, pre-shared key reauthentication in 2 hours")
        lines.append(f"     {nm}[{n}]: IKE proposal: AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519")
        for k, p2 in enumerate(kids):
            mode = "TRANSPORT" if p2["mode"] == "transport" else "TUNNEL"
            lines.append(f"     {nm}{{{n+k}}}:  INSTALLED, {mode}, reqid {n+k}, ESP SPIs: c12345{n}{k}_i c76543{n}{k}_o")
            lines.append(f"     {nm}{{{n+k}}}:  AES_GCM_16_128, 8400 bytes_i (100 pkts, 1s ago), 8400 bytes_o (100 pkts, 1s ago), rekeying in 43 minutes")
            l = p2["local"]["network"] or loc + "/32"; r = p2["remote"]["network"] or peer + "/32"
            lines.append(f"     {nm}{{{n+k}}}:   {l} === {r}")
    else:
        lines.append(f"{p1['ikeid']}: #{n}, ESTABLISHED, IKEv{p1['ike_version'] or 2}, 5e329ee6df4fb30{n}_i* b1b9f7bd4f2884b{n}_r")
        lines.append(f"  local  '{loc}' @ {loc}[500]")
        lines.append(f"  remote '{peer}' @ {peer}[500]")
        lines.append("  AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519")
        lines.append("  established 300s ago, rekeying in 13716s")
        for k, p2 in enumerate(kids):
            mode = "TRANSPORT" if p2["mode"] == "transport" else "TUNNEL"
            nm = p2["description"]
            lines.append(f"  {nm}: #{n+k+1}, reqid {n+k}, INSTALLED, {mode}, ESP:AES_GCM_16-128")
            lines.append("    installed 300s ago, rekeying in 3312s, expires in 3953s")
            lines.append(f"    in  9c5fb4{n}{k},   8400 bytes,   100 packets,     1s ago")
            lines.append(f"    out 2e62d1{n}{k},   8400 bytes,   100 packets,     1s ago")
            l = p2["local"]["network"] or loc + "/32"; r = p2["remote"]["network"] or peer + "/32"
            lines.append(f"    local  {l}")
            lines.append(f"    remote {r}")
if lines:
    name = "statusall.txt" if stroke else "list-sas.txt"
    if stroke:
        lines = ["Status of IKE charon daemon (strongSwan 5.9.8, Linux 6.1.0-18-amd64, x86_64):", "  uptime: 5 minutes, since Nov 27 12:19:01 2024", f"Security Associations ({n} up, 0 connecting):"] + lines
    open(os.path.join(d, name), "w").write("\n".join(lines) + "\n")
