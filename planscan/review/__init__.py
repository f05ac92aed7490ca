"""The review page (``planscan review``): every figure on its page image, accepted, rejected or
corrected by a person, the reviews kept in the store beside the extraction they correct.

A Starlette application with Jinja2 templates and a little plain JavaScript, all shipped here (no
CDN, no build step). ``app.create_app`` builds it over one store; ``server.serve`` runs it.
"""
