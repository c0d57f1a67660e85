"""The `bottomline` command: argument parsing, exit codes, and starting flows."""
