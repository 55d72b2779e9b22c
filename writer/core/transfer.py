"""Moving a part, chapter, scene or note (with everything below it) to another project.

The copy is made complete in the target before anything leaves the source: documents are
written, then the target's ``project.json``, then the source forgets the nodes, and only
then are the source's files removed. A crash at any moment leaves the text in at least one
of the two projects.
"""

from __future__ import annotations

import copy

from writer.core.errors import TreeError
from writer.core.project import Project
from writer.core.tree import ALLOWED_CHILDREN, new_id


def move_to_project(
    source: Project, node_id: str, target: Project, parent_id: str | None = None
) -> str:
    """Move ``node_id`` of ``source`` under ``parent_id`` of ``target``; returns its new id."""
    if source.path.resolve() == target.path.resolve():
        raise TreeError("use move within the same project")
    node = source.tree.find(node_id)
    if source.tree.in_trash(node_id):
        raise TreeError("restore the document from the trash before moving it")
    parent = target.tree.find(parent_id) if parent_id else None
    if node.kind not in ALLOWED_CHILDREN[parent.kind if parent else None]:
        where = f"a {parent.kind}" if parent else "the top level"
        raise TreeError(f"a {node.kind} cannot go into {where}")
    texts = {n.id: source.read_text(n.id) for n in node.walk() if n.has_text}
    taken = {n.id for n in target.tree.all_nodes()}
    clone = copy.deepcopy(node)
    for item in clone.walk():
        if item.id in taken:
            old = item.id
            item.id = new_id()
            texts[item.id] = texts.pop(old, "")
    for item in clone.walk():
        if item.has_text:
            target.write_text_for_new(item.id, texts[item.id])
    siblings = target.tree.roots if parent is None else parent.children
    siblings.append(clone)
    target.save()
    source.tree._detach(node_id)
    source.forget_files(list(node.walk()))
    return clone.id
