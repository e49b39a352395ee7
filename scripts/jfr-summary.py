#!/usr/bin/env python3
"""Summarises a JFR recording's execution samples: the hottest frames, self and inclusive.
Usage: scripts/jfr-summary.py RECORDING.jfr [THREAD-NAME-PART] [N]"""
import collections
import re
import subprocess
import sys

recording = sys.argv[1]
thread = sys.argv[2] if len(sys.argv) > 2 else ''
n = int(sys.argv[3]) if len(sys.argv) > 3 else 25
text = subprocess.run(['jfr', 'print', '--stack-depth', '96', '--events', 'jdk.ExecutionSample', recording],
                      capture_output=True, text=True, check=True).stdout
own, inclusive, total = collections.Counter(), collections.Counter(), 0
for event in text.split('jdk.ExecutionSample {')[1:]:
    name = re.search(r'sampledThread = "([^"]*)"', event)
    if thread and (not name or thread not in name.group(1)):
        continue
    frames = re.findall(r'^\s+([\w.$<>]+)\(', event, re.M)
    if not frames:
        continue
    total += 1
    own[frames[0]] += 1
    for f in set(frames):
        inclusive[f] += 1
print(f'{total} samples{" on threads matching " + repr(thread) if thread else ""}')
print('self:')
for f, c in own.most_common(n):
    print(f'  {100 * c / total:5.1f}%  {f}')
print('inclusive:')
for f, c in inclusive.most_common(n):
    print(f'  {100 * c / total:5.1f}%  {f}')
