#!/bin/sh
for i in 1 2 3; do npx tsx .bcmp.mts | tail -2 | awk '{print $3}' | tr '\n' ' '; done; echo
