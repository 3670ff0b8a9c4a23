"""Identity tables and their repository (SQLAlchemy Core, rows mapped to model dataclasses)."""

import uuid
from collections.abc import Iterable
from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.identity.model import Agency, ApiToken, Country, LoginThrottle, User
from casebridge.kernel.actor import AgencyKind, Role

countries = sa.Table(
    "countries",
    metadata,
    sa.Column("code", sa.String(2), primary_key=True),
    sa.Column("alpha3", sa.String(3), nullable=False, unique=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("region", sa.String(40), nullable=False),
)

agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("country", sa.String(2), sa.ForeignKey("countries.code"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("country", "name", name="uq_agencies_country_name"),
)
# DOMAIN.md §1: each member country has one National Central Bureau, its only door.
sa.Index(
    "uq_agencies_one_ncb",
    agencies.c.country,
    unique=True,
    sqlite_where=agencies.c.kind == AgencyKind.NCB.value,
    postgresql_where=agencies.c.kind == AgencyKind.NCB.value,
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("roles", sa.String(300), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("totp_secret", sa.String(200), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False),
    sa.Column("locked_until", UtcDateTime, nullable=True),
    sa.Column("last_totp_step", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(12), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)

# Failed logins per (username, address) and per address (issue 16 point 6); in the database so
# every server process agrees (issue 13 may move them to Redis).
login_throttles = sa.Table(
    "login_throttles",
    metadata,
    sa.Column("scope", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", UtcDateTime, nullable=True),
    sa.Column("blocked_until", UtcDateTime, nullable=True),
)


def _user_row(user: User) -> dict[str, object]:
    row = asdict(user)
    row["roles"] = ",".join(sorted(role.value for role in user.roles))
    return row


def _user(row: sa.Row[tuple[object, ...]]) -> User:
    values = dict(row._mapping)  # noqa: SLF001 - SQLAlchemy's public name for the mapping
    roles = str(values.pop("roles"))
    return User(**values, roles=frozenset(Role(r) for r in roles.split(",") if r))


def _agency(row: sa.Row[tuple[object, ...]]) -> Agency:
    values = dict(row._mapping)  # noqa: SLF001 - public API
    return Agency(**{**values, "kind": AgencyKind(values["kind"])})


def _token(row: sa.Row[tuple[object, ...]]) -> ApiToken:
    return ApiToken(**row._mapping)  # noqa: SLF001 - public API


class SqlIdentityRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def upsert_countries(self, items: Iterable[Country]) -> int:
        existing = {row.code: row for row in self._db.execute(sa.select(countries))}
        written = 0
        for country in items:
            values = asdict(country)
            old = existing.get(country.code)
            if old is None:
                self._db.execute(countries.insert().values(**values))
            elif dict(old._mapping) != values:  # noqa: SLF001 - public API
                self._db.execute(
                    countries.update().where(countries.c.code == country.code).values(**values)
                )
            else:
                continue
            written += 1
        return written

    def get_country(self, code: str) -> Country | None:
        row = self._db.execute(sa.select(countries).where(countries.c.code == code)).first()
        return Country(**row._mapping) if row else None  # noqa: SLF001 - public API

    def list_countries(self) -> list[Country]:
        rows = self._db.execute(sa.select(countries).order_by(countries.c.code))
        return [Country(**row._mapping) for row in rows]  # noqa: SLF001 - public API

    def get_agency(self, agency_id: uuid.UUID) -> Agency | None:
        row = self._db.execute(sa.select(agencies).where(agencies.c.id == agency_id)).first()
        return _agency(row) if row else None

    def get_agencies(self, agency_ids: Iterable[uuid.UUID]) -> list[Agency]:
        wanted = sorted(set(agency_ids))
        if not wanted:
            return []
        query = sa.select(agencies).where(agencies.c.id.in_(wanted)).order_by(agencies.c.id)
        return [_agency(row) for row in self._db.execute(query)]

    def find_agency(self, country: str, name: str) -> Agency | None:
        query = sa.select(agencies).where(agencies.c.country == country, agencies.c.name == name)
        row = self._db.execute(query).first()
        return _agency(row) if row else None

    def ncb_of(self, country: str) -> Agency | None:
        query = sa.select(agencies).where(
            agencies.c.country == country, agencies.c.kind == AgencyKind.NCB.value
        )
        row = self._db.execute(query).first()
        return _agency(row) if row else None

    def list_agencies(
        self, country: str | None, after: uuid.UUID | None, limit: int
    ) -> list[Agency]:
        query = sa.select(agencies).order_by(agencies.c.id).limit(limit)
        if country is not None:
            query = query.where(agencies.c.country == country)
        if after is not None:
            query = query.where(agencies.c.id > after)
        return [_agency(row) for row in self._db.execute(query)]

    def add_agency(self, agency: Agency) -> None:
        self._db.execute(agencies.insert().values(**{**asdict(agency), "kind": agency.kind.value}))

    def get_user(self, user_id: uuid.UUID) -> User | None:
        row = self._db.execute(sa.select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def get_user_by_username(self, username: str) -> User | None:
        row = self._db.execute(sa.select(users).where(users.c.username == username)).first()
        return _user(row) if row else None

    def list_users(self, country: str | None, after: uuid.UUID | None, limit: int) -> list[User]:
        query = sa.select(users).order_by(users.c.id).limit(limit)
        if country is not None:
            query = query.join(agencies, agencies.c.id == users.c.agency_id).where(
                agencies.c.country == country
            )
        if after is not None:
            query = query.where(users.c.id > after)
        return [_user(row) for row in self._db.execute(query)]

    def add_user(self, user: User) -> None:
        self._db.execute(users.insert().values(**_user_row(user)))

    def lock_user(self, user_id: uuid.UUID) -> None:
        # FOR UPDATE on PostgreSQL; SQLite takes its write lock at BEGIN IMMEDIATE.
        self._db.execute(sa.select(users.c.id).where(users.c.id == user_id).with_for_update())

    def update_user(self, user: User) -> None:
        self._db.execute(users.update().where(users.c.id == user.id).values(**_user_row(user)))

    def add_token(self, token: ApiToken) -> None:
        self._db.execute(api_tokens.insert().values(**asdict(token)))

    def get_token(self, token_id: uuid.UUID) -> ApiToken | None:
        row = self._db.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id)).first()
        return _token(row) if row else None

    def get_token_by_hash(self, token_hash: str) -> ApiToken | None:
        query = sa.select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        row = self._db.execute(query).first()
        return _token(row) if row else None

    def list_tokens(self, user_id: uuid.UUID, kind: str) -> list[ApiToken]:
        query = (
            sa.select(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.kind == kind)
            .order_by(api_tokens.c.created_at.desc())
        )
        return [_token(row) for row in self._db.execute(query)]

    def update_token(self, token: ApiToken) -> None:
        self._db.execute(
            api_tokens.update().where(api_tokens.c.id == token.id).values(**asdict(token))
        )

    def get_throttle(self, scope: str, key: str) -> LoginThrottle | None:
        query = sa.select(login_throttles).where(
            login_throttles.c.scope == scope, login_throttles.c.key == key
        )
        row = self._db.execute(query).first()
        return LoginThrottle(**row._mapping) if row else None  # noqa: SLF001 - public API

    def save_throttle(self, throttle: LoginThrottle) -> None:
        values = asdict(throttle)
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(login_throttles).values(**values)
        changed = {name: values[name] for name in ("failures", "last_failure_at", "blocked_until")}
        self._db.execute(
            insert.on_conflict_do_update(index_elements=["scope", "key"], set_=changed)
        )

    def clear_throttle(self, scope: str, key: str) -> None:
        self._db.execute(
            login_throttles.delete().where(
                login_throttles.c.scope == scope, login_throttles.c.key == key
            )
        )
