#!/usr/bin/env python3
"""Lists the largest functions of a wasm module by code size, with names from its name section.

Build readable names first:  mvn -q -pl wasm-core,js-bindings package -DskipTests -Dteavm.minify=false
Then:                        scripts/wasm-sizes.py js-bindings/target/teavm/mycelium-sync.wasm [N] [--by-class]
"""
import sys
from collections import defaultdict


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, i


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 40
    by_class = '--by-class' in sys.argv
    b = open(path, 'rb').read()
    i = 8
    imported = 0
    sizes, names = [], {}
    while i < len(b):
        sid = b[i]; i += 1
        n, i = leb(b, i)
        end = i + n
        if sid == 2:  # imports: count imported functions (they take the first indices)
            cnt, j = leb(b, i)
            for _ in range(cnt):
                l, j = leb(b, j); j += l
                l, j = leb(b, j); j += l
                kind = b[j]; j += 1
                if kind == 0:
                    _, j = leb(b, j); imported += 1
                elif kind == 1:
                    j += 1; fl, j = leb(b, j); _, j = leb(b, j)
                    if fl & 1: _, j = leb(b, j)
                elif kind == 2:
                    fl, j = leb(b, j); _, j = leb(b, j)
                    if fl & 1: _, j = leb(b, j)
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    j += 1; _, j = leb(b, j)
                else:
                    break
        elif sid == 10:
            cnt, j = leb(b, i)
            for _ in range(cnt):
                sz, j = leb(b, j); sizes.append(sz); j += sz
        elif sid == 0:
            l, j = leb(b, i)
            if b[j:j + l] == b'name':
                j += l
                while j < end:
                    sub = b[j]; j += 1
                    sl, j = leb(b, j)
                    se = j + sl
                    if sub == 1:
                        cnt, k = leb(b, j)
                        for _ in range(cnt):
                            idx, k = leb(b, k); l2, k = leb(b, k)
                            names[idx] = b[k:k + l2].decode('utf-8', 'replace'); k += l2
                    j = se
        i = end
    rows = [(sz, names.get(imported + k, '#%d' % (imported + k))) for k, sz in enumerate(sizes)]
    total = sum(sz for sz, _ in rows)
    if by_class:
        agg = defaultdict(int)
        for sz, nm in rows:
            agg[nm.rsplit('.', 1)[0] if '.' in nm else nm] += sz
        rows = sorted(((v, k) for k, v in agg.items()), reverse=True)
    else:
        rows.sort(reverse=True)
    print('%d functions, %d bytes of code' % (len(sizes), total))
    for sz, nm in rows[:top]:
        print('%7d  %5.1f%%  %s' % (sz, 100.0 * sz / total, nm))


if __name__ == '__main__':
    main()
