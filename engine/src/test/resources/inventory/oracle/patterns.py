# Test oracle: asks ansible-core's own InventoryManager which hosts each pattern selects.
# Input (stdin, JSON): {"sources": [...], "patterns": [...], "limit": null or "..."}
# Output (stdout, JSON): {pattern: [host names in order]} or {pattern: {"error": message}}
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

request = json.load(sys.stdin)
inventory = InventoryManager(loader=DataLoader(), sources=request["sources"])
if request.get("limit"):
    inventory.subset(request["limit"])
result = {}
for pattern in request["patterns"]:
    try:
        result[pattern] = [h.name for h in inventory.get_hosts(pattern)]
    except Exception as e:  # the error itself is what we compare against
        result[pattern] = {"error": str(e)}
    inventory.clear_pattern_cache()
print(json.dumps(result))
