"""Participation's part of the hub pages (``cocity.core.hubs``): the "Follow this space" button.
People who follow a space are notified of new events, processes and publications in it (see
``services.space_news``). One query for a signed-in person, none for a visitor."""

from __future__ import annotations

from typing import Any

from cocity.core.hubs import HubAction, HubScope, register_action

from . import services


def _follow(scope: HubScope) -> dict[str, Any]:
    return {
        "space": scope.obj,
        "following": services.is_following(target=scope.obj, user=scope.viewer),
    }


register_action(
    HubAction(
        key="participation.follow",
        template="participation/partials/follow_space.html",
        context=_follow,
        scopes=("space",),
    )
)
