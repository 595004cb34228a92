"""The staff side's identity: E-Channel's avatars and help menu, with no call outside the platform."""

from urllib.parse import quote

from django.utils.html import escape
from wagtail import hooks

# Help menu entries that lead to Wagtail's own site (release notes, editor guide): staff need
# E-Channel's help, and the badge that announces each Wagtail release is noise to them.
_OUTSIDE_HELP = ("whats-new-in-wagtail", "editor-guide")
_AVATAR_COLOURS = ("#0b6e6e", "#1d4e89", "#7a3e9d", "#b5441b", "#2f6b2f", "#8a5a00")


def initials(user) -> str:
    """Up to two letters from the person's name, else from their e-mail address."""
    name = (user.get_full_name() or "").split()
    letters = [part[0] for part in name[:1] + name[1:][-1:] if part]
    if not letters and user.email:
        letters = [user.email[0]]
    return "".join(letters).upper() or "?"


@hooks.register("get_avatar_url")
def avatar_with_initials(user, size):
    """An SVG of the person's initials, inline: no Gravatar, nothing fetched from outside."""
    colour = _AVATAR_COLOURS[user.pk % len(_AVATAR_COLOURS)] if user.pk else _AVATAR_COLOURS[0]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{int(size)}" height="{int(size)}" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" rx="20" fill="{colour}"/>'
        '<text x="20" y="25.5" text-anchor="middle" font-family="system-ui,sans-serif" font-size="16" '
        f'font-weight="700" fill="#fff">{escape(initials(user))}</text></svg>'
    )
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


@hooks.register("construct_help_menu")
def drop_outside_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(_OUTSIDE_HELP)]
