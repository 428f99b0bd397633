"""Connects to the test's PostgreSQL / Redis with the drivers the FastAPI seeds use, from the URL
strings the program emits (hosts, ports, passwords swapped for the local servers'). Reads one JSON
request on stdin, prints one JSON answer on stdout; a driver error is an answer, not a crash:
{"ok": false, "error": "<type>: <message>"}.

Requests:
  {"probe": "pool", "url": ..., "connections": N, "pool_size": P, "max_overflow": O}
      opens N connections at once through the driver the URL names (SQLAlchemy async engine for
      postgresql+asyncpg, SQLAlchemy engine for postgresql+psycopg2, psycopg2 and psycopg 3
      directly for a plain libpq postgresql:// URI), holds them all, and reports for each the
      role, whether pg_stat_ssl shows TLS, and the TLS version.
  {"probe": "privileges", "url": ...}
      as the URL's role, tries DML and DDL on the table `probe_items` and reports what worked.
  {"probe": "redis", "url": ...}
      redis-py from_url: PING, SET/GET, and whether the connection is TLS.
  {"probe": "plaintext-offer", "url": ...}
      points the driver at a fake server on a free port that declines TLS ('N' to SSLRequest)
      and reports whether the driver then went on in plain text (sent a StartupMessage): a URL
      that requires TLS must make the driver give up instead.
  {"probe": "migrate", "url": ...}
      as the URL's role (the owner), creates probe_later: a table made after the role bootstrap.
The request may also come as the first argument instead of stdin, and may be a list of requests.
"""
import asyncio
import json
import sys
import time

SSL_QUERY = "SELECT current_user, s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()"


def driver_of(url):
    scheme = url.split("://", 1)[0]
    return {"postgresql+asyncpg": "asyncpg", "postgresql+psycopg2": "psycopg2", "postgresql": "libpq"}.get(scheme, scheme)


def row(r):
    return {"user": r[0], "ssl": bool(r[1]), "version": r[2]}


async def pool_asyncpg(url, n, pool_size, max_overflow, hold):
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=10)
    conns = []
    try:
        for _ in range(n):
            conns.append(await engine.connect())
        rows = []
        for c in conns:
            rows.append(row((await c.execute(text(SSL_QUERY))).one()))
        # Run the same statement many times on one pooled connection: a prepared-statement cache
        # that a transaction pooler would break shows up here, not on the first run.
        for _ in range(8):
            await conns[0].execute(text("SELECT 1"))
        await asyncio.sleep(hold)
        return rows
    finally:
        for c in conns:
            await c.close()
        await engine.dispose()


def pool_psycopg2_sqlalchemy(url, n, pool_size, max_overflow, hold):
    from sqlalchemy import create_engine, text

    engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=10)
    conns = []
    try:
        for _ in range(n):
            conns.append(engine.connect())
        rows = [row(c.execute(text(SSL_QUERY)).one()) for c in conns]
        time.sleep(hold)
        return rows
    finally:
        for c in conns:
            c.close()
        engine.dispose()


def pool_libpq(url, n, hold):
    import psycopg
    import psycopg2

    conns = []
    try:
        half = n // 2
        for i in range(n):
            conns.append(psycopg2.connect(url) if i < half else psycopg.connect(url))
        rows = []
        for c in conns:
            cur = c.cursor()
            cur.execute(SSL_QUERY)
            rows.append(row(cur.fetchone()))
        # psycopg 3 prepares a statement on its 5th run: repeat one past that.
        cur = conns[-1].cursor()
        for _ in range(8):
            cur.execute("SELECT %s::int", (1,))
        time.sleep(hold)
        return rows
    finally:
        for c in conns:
            c.close()


def connect_sync(url):
    """A DB-API connection for the URL's style (privileges probe)."""
    driver = driver_of(url)
    if driver == "asyncpg":
        return None
    if driver == "psycopg2":
        from sqlalchemy import create_engine

        return create_engine(url).raw_connection()
    import psycopg2

    return psycopg2.connect(url)


PRIVILEGE_STATEMENTS = [
    ("select", "SELECT count(*) FROM probe_items"),
    ("insert", "INSERT INTO probe_items (name) VALUES ('x')"),
    ("update", "UPDATE probe_items SET name = 'y'"),
    ("delete", "DELETE FROM probe_items WHERE name = 'y'"),
    ("create", "CREATE TABLE probe_created (id int)"),
    ("alter", "ALTER TABLE probe_items ADD COLUMN extra int"),
    ("truncate", "TRUNCATE probe_items"),
    ("drop", "DROP TABLE probe_items"),
    ("select_later", "SELECT count(*) FROM probe_later"),
]


async def privileges_asyncpg(url):
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    result = {}
    try:
        for name, sql in PRIVILEGE_STATEMENTS:
            async with engine.connect() as c:
                trans = await c.begin()
                try:
                    await c.execute(text(sql))
                    result[name] = "ok"
                except Exception as e:  # the refusal is the answer
                    result[name] = error_text(e)
                finally:
                    await trans.rollback()
    finally:
        await engine.dispose()
    return result


def privileges_sync(url):
    conn = connect_sync(url)
    result = {}
    try:
        for name, sql in PRIVILEGE_STATEMENTS:
            cur = conn.cursor()
            try:
                cur.execute(sql)
                result[name] = "ok"
            except Exception as e:
                result[name] = error_text(e)
            finally:
                conn.rollback()
    finally:
        conn.close()
    return result


def probe_redis(url):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
    try:
        pong = client.ping()
        client.set("probe", "value", ex=30)
        value = client.get("probe").decode()
        conn = client.connection_pool.get_connection("PING")
        try:
            tls = conn._sock.version() if hasattr(conn._sock, "version") else None
        finally:
            client.connection_pool.release(conn)
        return {"pong": pong, "value": value, "tls": tls}
    finally:
        client.close()


def execute(url, sql):
    driver = driver_of(url)
    if driver == "asyncpg":
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        async def run():
            engine = create_async_engine(url)
            try:
                async with engine.begin() as c:
                    await c.execute(text(sql))
            finally:
                await engine.dispose()

        asyncio.run(run())
        return "ok"
    conn = connect_sync(url)
    try:
        conn.cursor().execute(sql)
        conn.commit()
    finally:
        conn.close()
    return "ok"


def plaintext_offer(url):
    import socket
    import struct
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(15)
    port = listener.getsockname()[1]
    seen = {"ssl_requests": 0, "plaintext_startup": False}

    def serve():
        try:
            while True:
                conn, _ = listener.accept()
                conn.settimeout(5)
                with conn:
                    while True:
                        head = conn.recv(8)
                        if len(head) < 8:
                            break
                        length, code = struct.unpack("!ii", head)
                        if code == 80877103:  # SSLRequest
                            seen["ssl_requests"] += 1
                            conn.sendall(b"N")
                            continue
                        if code in (196608, 80877104):  # StartupMessage v3 / GSSENCRequest
                            if code == 196608:
                                seen["plaintext_startup"] = True
                            break
                        break
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    scheme, rest = url.split("://", 1)
    creds, tail = rest.rsplit("@", 1)
    tail = tail.split("/", 1)[1]
    fake = "%s://%s@127.0.0.1:%d/%s" % (scheme, creds, port, tail)
    try:
        execute(fake, "SELECT 1")
        error = None
    except Exception as e:
        error = error_text(e)
    try:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() above
    except OSError:
        pass
    listener.close()
    thread.join(5)
    return {"ssl_requests": seen["ssl_requests"], "plaintext_startup": seen["plaintext_startup"], "error": error}


def error_text(e):
    return "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else "")


def handle(req):
    probe = req["probe"]
    # The migrations' own probe reads the URL the way Alembic would: from its environment.
    url = req.get("url") or __import__("os").environ["DATABASE_URL"]
    hold = float(req.get("hold_seconds", 0))
    try:
        if probe == "pool":
            n, p, o = req["connections"], req["pool_size"], req["max_overflow"]
            driver = driver_of(url)
            if driver == "asyncpg":
                answer = asyncio.run(pool_asyncpg(url, n, p, o, hold))
            elif driver == "psycopg2":
                answer = pool_psycopg2_sqlalchemy(url, n, p, o, hold)
            elif driver == "libpq":
                answer = pool_libpq(url, n, hold)
            else:
                raise ValueError("no driver for scheme of " + url.split("://", 1)[0])
        elif probe == "privileges":
            answer = asyncio.run(privileges_asyncpg(url)) if driver_of(url) == "asyncpg" else privileges_sync(url)
        elif probe == "redis":
            answer = probe_redis(url)
        elif probe == "plaintext-offer":
            answer = plaintext_offer(url)
        elif probe == "migrate":
            answer = execute(url, "CREATE TABLE IF NOT EXISTS probe_later (id serial PRIMARY KEY, name text)")
        else:
            raise ValueError("unknown probe " + probe)
        return {"ok": True, "answer": answer}
    except Exception as e:
        return {"ok": False, "error": error_text(e)}


def main():
    """One request -> one answer; a list of requests -> a list of answers (one interpreter start)."""
    req = json.loads(sys.argv[1]) if len(sys.argv) > 1 else json.load(sys.stdin)
    print(json.dumps([handle(r) for r in req] if isinstance(req, list) else handle(req)))


main()
