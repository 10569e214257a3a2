#!/bin/sh
# Validates one GtkBuilder file with gtk4-builder-tool.
#
# Template callbacks are bound per class (gtk_widget_class_bind_template_callback)
# and so are unknown to the tool, which reports "No function named `x`"; the UI
# tests build every template for real and fail on a missing callback, so that
# one message is let through here. Anything else fails the check.
set -u
output=$(gtk4-builder-tool validate "$1" 2>&1)
status=$?
problems=$(printf '%s\n' "$output" | grep -v -e '^No function named `' -e 'Unable to acquire session bus' -e '^$')
if [ $status -ne 0 ] && [ -n "$problems" ]; then
  printf '%s\n' "$problems" >&2
  exit 1
fi
exit 0
