"""Writes secrets.jsonl from the hand-written samples in positives.py and
negatives.py, filling each «kind» marker with a fresh fake credential of that
format (see generate_tokens.py). Deterministic: the generator is seeded."""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from generate_tokens import fill
from positives import POS
from negatives import NEG

def render(text):
    return re.sub(r'«([a-z0-9]+(?::\d+)?)»', lambda m: fill(m.group(1)), text)

out = []
for label, samples, tag in ((True, POS, 'pos'), (False, NEG, 'neg')):
    for i, (phase, text) in enumerate(samples, 1):
        out.append({"id": f"secrets-{tag}-{i:03d}", "category": "secrets", "text": render(text), "label": label, "phase": phase})
with open(os.path.join(os.path.dirname(__file__), 'secrets.jsonl'), 'w') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(f"{sum(o['label'] for o in out)} positives, {sum(not o['label'] for o in out)} negatives")
