"""An agent-style job: read sales from a read-only grant, write a report into a writable one.

Run it with wasp (from this directory):

    wasp python analyze.py --allow-dir-ro data::/data --allow-dir out::/out -- /data/sales.csv

It sees /data (read-only), /out (read-write) and its own file, and nothing else: no other
files, no network, no environment but what is granted.
"""
import csv
import json
import sys
from collections import defaultdict

source = sys.argv[1] if len(sys.argv) > 1 else "/data/sales.csv"
revenue = defaultdict(float)
units = defaultdict(int)
with open(source, newline="") as f:
    for row in csv.DictReader(f):
        revenue[row["region"]] += int(row["units"]) * float(row["unit_price"])
        units[row["region"]] += int(row["units"])

lines = ["# Sales by region", "", "| region | units | revenue |", "| --- | ---: | ---: |"]
for region in sorted(revenue, key=revenue.get, reverse=True):
    lines.append(f"| {region} | {units[region]} | {revenue[region]:.2f} |")
with open("/out/report.md", "w") as f:
    f.write("\n".join(lines) + "\n")

best = max(revenue, key=revenue.get)
print(json.dumps({"regions": len(revenue), "best": best, "revenue": round(sum(revenue.values()), 2)}))
