from stoa.web.views.home import home

__all__ = ["home"]
