#!/usr/bin/env python3
# Regenerates the text captures of README.md's "## The TUI" section from the real app: each runs in a tmux
# session of its size, waits for its marker on screen, and replaces the section's code blocks in order.
# Run from the checkout after `node scripts/build.mjs`: python3 scripts/readme-captures.py
import subprocess, time, re, os
ROOT=os.getcwd()
def sh(*a): return subprocess.run(a, capture_output=True, text=True).stdout
def cap(cols, rows, args, steps):
    subprocess.run(['tmux','kill-session','-t','cap'],capture_output=True)
    subprocess.run(['rm','-rf','/tmp/xdgdemo'])
    cmd=f"cd {ROOT} && XDG_DATA_HOME=/tmp/xdgdemo XDG_CACHE_HOME=/tmp/xdgdemo/cache XDG_RUNTIME_DIR=/tmp/xdgdemo/run LANG=C.UTF-8 node bin/moica-check.js {args}; sleep 60"
    os.makedirs('/tmp/xdgdemo/run',exist_ok=True)
    subprocess.run(['tmux','new-session','-d','-s','cap','-x',str(cols),'-y',str(rows),cmd])
    screen=''
    for kind,val in steps:
        if kind=='wait':
            t0=time.time()
            while True:
                screen=sh('tmux','capture-pane','-p','-t','cap')
                if val in screen: break
                if time.time()-t0>20: raise SystemExit(f'timeout waiting for {val!r} in {args}:\n{screen}')
                time.sleep(0.1)
        elif kind=='keys':
            subprocess.run(['tmux','send-keys','-t','cap','-l',val])
        elif kind=='enter':
            subprocess.run(['tmux','send-keys','-t','cap','Enter'])
    time.sleep(0.4)  # let the last frame settle after the marker (a redraw may follow)
    screen=sh('tmux','capture-pane','-p','-t','cap')
    subprocess.run(['tmux','kill-session','-t','cap'],capture_output=True)
    lines=[l.rstrip() for l in screen.split('\n')]
    while lines and not lines[-1]: lines.pop()
    return '\n'.join(lines)
specs=[
 (80,24,'--demo valid --lang zh-TW',[('wait','判定 A')]),
 (80,24,'--demo rewrite --lang zh-TW',[('wait','判定 B-1')]),
 (80,24,'--demo rewrite --lang zh-TW',[('wait','判定 B-1'),('keys','r'),('wait','請輸入卡片PIN碼')]),
 (80,24,'--demo rewrite --lang zh-TW',[('wait','判定 B-1'),('keys','r'),('wait','請輸入卡片PIN碼'),('keys','123456'),('enter',''),('wait','判定 B-2'),('wait','判定 A')]),
 (80,24,'--demo revoked --lang zh-TW',[('wait','判定 C')]),
 (80,24,'--demo suspended --lang en',[('wait','verdict C')]),
 (80,24,'--demo expired --lang en',[('wait','verdict C')]),
 (40,15,'--demo revoked --lang zh-TW',[('wait','判定 C')]),
 (60,20,'--demo valid --lang en --ascii --no-color',[('wait','verdict A')]),
]
caps=[cap(*s) for s in specs]
p=f'{ROOT}/README.md'; s=open(p).read()
a=s.index('## The TUI'); b=s.index('### Keys',a)
sec=s[a:b]
blocks=list(re.finditer(r'```\n(.*?)\n```', sec, flags=re.S))
assert len(blocks)==len(caps),(len(blocks),len(caps))
out=sec
for m,c in reversed(list(zip(blocks,caps))):
    out=out[:m.start()]+'```\n'+c+'\n```'+out[m.end():]
open(p,'w').write(s[:a]+out+s[b:])
print('ok')
