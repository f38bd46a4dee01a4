"""A write on one of several equally good matches of a list look-up settles which one is meant.

``find_events("meeting with Katherine")`` finds today's sync, tomorrow's working session and
next week's review equally well (Katherine is in all three); the 1.5B took ``events[0]`` and
moved today's sync. A single-result look-up (``find_email``, ``find_file``, ``find_contact_id``)
asks the person on such a tie, but a list look-up cannot: a list of matches is what it
promises, and a loop over all of them is a fine use. So a list look-up remembers its tied best
matches (:func:`remember`), and the write that acts on one of them (:func:`settle`) first makes
sure it is the one the person means:

1. by the person's own words — the wish, and their earlier answers — when they name one of the
   rivals better than the others ("the Fall Out Boy version of Beat It"); the look-up lists
   that one first, too;
2. else by asking, the way the single-result look-ups do (:func:`apis._choose.choose`).

When the person means another of the rivals, the write does nothing and says which one, with
its id: the workflow's other arguments (a new start computed from the wrong event, a reply
written to the wrong mail) may belong to the one it picked, so the right one is not swapped in
silently. Each set of rivals is settled once per run, and not at all when the wish speaks of
several or of any one — :data:`ANY_OR_ALL` ("everything on Wednesday", "something by Miles
Davis", "a random jazz song") or the kind's plural ("Greg's e-mails") — where each match, or
any, is what was asked, or when it picks one by an order (:data:`BY_ORDER`: "the most recent
Queen song", "my next meeting with Katherine"), which the workflow applies itself. A workflow
run without a wish is not asked about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from intentos.api.context import ApiContext, Row, Texts, TiedMatches
from intentos.device import search
from intentos.errors import ApiError

from ._choose import choose, picked

# Words of a wish about several things at once, or about any one of them: a write on one of
# the tied matches is then what was asked.
ANY_OR_ALL = frozenset(
    {
        *("all", "every", "everything", "each", "both", "everyone", "everybody", "them"),
        *("those", "any", "anything", "anyone", "something", "some", "random", "whichever"),
    }
)
# Words of a wish that picks one match by an order rather than by what it is called.
BY_ORDER = frozenset(
    {
        *("most", "least", "latest", "newest", "oldest", "earliest", "recent", "last", "first"),
        *("next", "previous", "longest", "shortest", "biggest", "smallest", "largest"),
        *("highest", "lowest", "cheapest", "best", "worst", "top"),
    }
)


def _plural(kind: str) -> frozenset[str]:
    """The plurals among the words for ``kind`` ("meetings", "e-mails", "songs")."""
    words = search.KIND_WORDS[kind]
    return frozenset(word for word in words if word.endswith("s") and word[:-1] in words)


def remember(
    ctx: ApiContext,
    ranked: Sequence[tuple[float, Row]],
    *,
    kind: str,
    lookup: str,
    expression: str,
    label: Callable[[Row], str],
    naming: Texts,
    described: Texts,
    among: Sequence[tuple[float, Row]] | None = None,
) -> list[Row]:
    """The rows of a list look-up's ``ranked`` result, best first, with the one the person's
    own words name first among those sharing the best score; those are noted for
    :func:`settle`. ``among`` is the part of ``ranked`` whose best may tie (default: all)."""
    rows = [row for _, row in ranked]
    rivals = search.tied_best(ranked if among is None else among)
    if len(rivals) < 2:
        return rows
    tie = TiedMatches(kind, lookup, expression, tuple(rivals), label, naming, described)
    for row in rivals:
        ctx.tied[(kind, row["id"])] = tie
    named = _named(ctx, tie)
    return rows if named is None else [named, *(row for row in rows if row is not named)]


def _named(ctx: ApiContext, tie: TiedMatches) -> Row | None:
    """The rival the person's words name better than the others, if any. The words the
    look-up was given match every rival; only the others can tell them apart."""
    given = set(search.words(tie.expression))
    telling = [word for word in search.words(" ".join(ctx.person_said or [])) if word not in given]
    return picked(" ".join(telling), tie.rows, tie.naming)


def settle(ctx: ApiContext, kind: str, row_id: int, doing: str) -> None:
    """Let a write ``doing`` something to the ``kind`` with id ``row_id`` go ahead only if it
    is the one the person means, when a look-up of this run found it tied with others; raises
    :class:`ApiError` naming the one they mean otherwise."""
    tie = ctx.tied.get((kind, row_id))
    if tie is None or ctx.person_said is None:  # a workflow run on its own does what it says
        return
    for row in tie.rows:  # settled once: a loop over the rivals asks nothing more
        ctx.tied.pop((kind, row["id"]), None)
    said = search.words(" ".join(ctx.person_said))
    if (ANY_OR_ALL | BY_ORDER | _plural(tie.kind)) & set(said):
        return
    meant = _named(ctx, tie) or choose(
        ctx,
        kind=kind,
        expression=tie.expression,
        rivals=tie.rows,
        label=tie.label,
        texts=tie.described,
    )
    if meant["id"] == row_id:
        return
    this = next(row for row in tie.rows if row["id"] == row_id)
    pick = f"[item for item in {tie.lookup}({tie.expression!r}) if item['id'] == {meant['id']}][0]"
    raise ApiError(
        f"{len(tie.rows)} {kind}s match {tie.expression!r} equally well, and the person means "
        f"{tie.label(meant)}, not {tie.label(this)}; nothing was {doing}. Use that one, "
        f"{kind} id {meant['id']} (e.g. {kind} = {pick}), and take its details from it"
    )
