"""The standing collection (常态化征集): made by a migration; also callable after a test flush."""

from __future__ import annotations

from typing import Any


def create_standing_call(call_model: Any) -> None:
    """Takes the model class, so the migration can pass its historical model."""
    if not call_model.objects.filter(standing=True).exists():
        call_model.objects.create(topic="常态化征集", standing=True,
                                  description="人民建议常年征集：围绕经济社会发展和群众关心的问题，随时可以提出意见建议。")
