"""`kpr serve`: the web app on a local address (Flask is imported only here, lazily)."""
from __future__ import annotations

import click


@click.command(help="Serve the web app (default http://127.0.0.1:5000).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flask debug mode with reloader (development only)")
def serve(host: str, port: int, debug: bool) -> None:
    from web import create_app

    app = create_app()
    click.echo(f"KPR serving on http://{host}:{port}/")
    app.run(host=host, port=port, debug=debug, use_reloader=debug)
