"""The benchmark's WSGI module: ``stoa.wsgi`` itself (which imports every view module at load time
and freezes the start-up objects), named apart so the benchmark's command line says what it runs."""

from stoa.wsgi import application

__all__ = ["application"]
