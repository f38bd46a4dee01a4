"""The execution boundary: workflows run in a forked, confined child process.

::

    parent (intentos)  ──job──▶  worker (fork server, python -I, empty env, no inherited fds)
          ▲                         │ fork per run
          │ API calls as framed     ▼
          └──── JSON messages ──  child: confined (network namespace or seccomp, no privileges,
                                  rlimits, chroot) runs the RestrictedPython-compiled workflow

The child never sees the device database: every API call is a message the parent validates,
approves and executes.
"""
