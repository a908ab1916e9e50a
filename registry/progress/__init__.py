"""Progress over time (issue 17): monthly 调度 sheets in, per-project monthly figures and 超前/正常/滞后 out."""
