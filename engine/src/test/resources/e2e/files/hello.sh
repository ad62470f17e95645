#!/bin/sh
# run by the script module: arguments and the working directory come back on one line
echo "script $# $1 $(pwd)"
