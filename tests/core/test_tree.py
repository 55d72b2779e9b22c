"""The manuscript tree: which kind goes where, moves, the trash, and walking."""

from __future__ import annotations

import pytest

from writer.core.errors import TreeError
from writer.core.tree import ID_PATTERN, Tree, new_id


def ids(nodes) -> list[str]:
    return [node.id for node in nodes]


def build() -> Tree:
    """part P1 [chapter C1 [scene S1, scene S2, note N1], chapter C2], chapter C3, note N2 [N3]."""
    tree = Tree()
    tree.add("part", "Part One", node_id="P1")
    tree.add("chapter", "One", parent_id="P1", node_id="C1")
    tree.add("scene", "Storm", parent_id="C1", node_id="S1")
    tree.add("scene", "Calm", parent_id="C1", node_id="S2")
    tree.add("note", "Idea", parent_id="C1", node_id="N1")
    tree.add("chapter", "Two", parent_id="P1", node_id="C2")
    tree.add("chapter", "Three", node_id="C3")
    tree.add("note", "Research", node_id="N2")
    tree.add("note", "Sources", parent_id="N2", node_id="N3")
    return tree


def test_new_ids_are_unique_and_file_safe():
    made = {new_id() for _ in range(200)}
    assert len(made) == 200
    assert all(ID_PATTERN.match(i) for i in made)


def test_walk_is_reading_order():
    tree = build()
    assert ids(tree.walk()) == ["P1", "C1", "S1", "S2", "N1", "C2", "C3", "N2", "N3"]
    assert ids(tree.find("C1").walk()) == ["C1", "S1", "S2", "N1"]


def test_add_sets_kind_title_and_text_flag():
    tree = build()
    assert tree.find("P1").kind == "part" and not tree.find("P1").has_text
    assert tree.find("C1").title == "One" and tree.find("C1").has_text
    assert tree.find("S1").has_text and tree.find("N1").has_text


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        (None, "part"),
        (None, "chapter"),
        (None, "scene"),
        (None, "note"),
        ("P1", "chapter"),
        ("P1", "note"),
        ("C1", "scene"),
        ("C1", "note"),
        ("N2", "note"),
    ],
)
def test_allowed_additions(parent, kind):
    tree = build()
    node = tree.add(kind, "new", parent_id=parent, node_id="NEW")
    siblings = tree.roots if parent is None else tree.find(parent).children
    assert siblings[-1] is node
    assert node.kind == kind


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        ("P1", "scene"),  # scene under part
        ("P1", "part"),
        ("C1", "chapter"),
        ("C1", "part"),  # part under chapter
        ("S1", "chapter"),  # chapter under scene
        ("S1", "scene"),
        ("S1", "note"),
        ("N2", "chapter"),
        ("N2", "scene"),
        ("N2", "part"),
    ],
)
def test_refused_additions(parent, kind):
    tree = build()
    before = ids(tree.walk())
    with pytest.raises(TreeError, match=f"a {kind} cannot go into a"):
        tree.add(kind, "new", parent_id=parent, node_id="NEW")
    assert ids(tree.walk()) == before


def test_unknown_kind_and_unknown_parent():
    tree = build()
    with pytest.raises(TreeError, match="unknown kind 'poem'"):
        tree.add("poem")
    with pytest.raises(TreeError, match="no document with id 'ZZ'"):
        tree.add("scene", parent_id="ZZ")


def test_add_at_an_index():
    tree = build()
    tree.add("scene", "First", parent_id="C1", index=0, node_id="S0")
    tree.add("scene", "Middle", parent_id="C1", index=2, node_id="Sm")
    assert ids(tree.find("C1").children) == ["S0", "S1", "Sm", "S2", "N1"]


def test_add_under_a_trashed_parent_is_refused():
    tree = build()
    tree.trash_node("C2")
    with pytest.raises(TreeError, match="in the trash"):
        tree.add("scene", parent_id="C2")


# ---------------------------------------------------------------- move


def three() -> Tree:
    tree = Tree()
    for name in "abc":
        tree.add("chapter", name.upper(), node_id=name)
    return tree


@pytest.mark.parametrize(
    ("node", "index", "order"),
    [
        ("a", 0, "abc"),
        ("a", 1, "abc"),  # dropping just below itself: no change
        ("a", 2, "bac"),  # Qt index counted before the move: between b and c
        ("a", 3, "bca"),
        ("a", None, "bca"),
        ("c", 0, "cab"),
        ("c", 1, "acb"),
        ("c", 3, "abc"),
        ("b", 0, "bac"),
        ("b", 3, "acb"),
        ("a", 99, "bca"),  # clamped
    ],
)
def test_move_within_a_parent_uses_qt_indexes(node, index, order):
    tree = three()
    tree.move(node, None, index)
    assert "".join(ids(tree.roots)) == order


def test_move_to_another_parent_with_its_children():
    tree = build()
    tree.move("C1", None, 1)
    assert ids(tree.roots) == ["P1", "C1", "C3", "N2"]
    assert ids(tree.find("P1").children) == ["C2"]
    assert ids(tree.find("C1").children) == ["S1", "S2", "N1"]
    tree.move("S2", "C3", 0)
    assert ids(tree.find("C3").children) == ["S2"]
    assert ids(tree.find("C1").children) == ["S1", "N1"]
    tree.move("C3", "P1", 0)
    assert ids(tree.find("P1").children) == ["C3", "C2"]
    assert tree.parent_of("S2").id == "C3"


def test_move_into_a_different_parent_does_not_shift_the_index():
    tree = build()
    tree.add("scene", "x", parent_id="C2", node_id="X1")
    tree.add("scene", "y", parent_id="C2", node_id="X2")
    tree.move("S1", "C2", 1)  # S1 was index 0 in C1; no shift in C2
    assert ids(tree.find("C2").children) == ["X1", "S1", "X2"]


@pytest.mark.parametrize(
    ("node", "parent"),
    [
        ("S1", "P1"),  # scene under part
        ("C1", "C2"),  # chapter under chapter
        ("C1", "S1"),  # into its own child (and under a scene)
        ("P1", "C3"),  # part under chapter
        ("C3", "S1"),  # chapter under scene
        ("S2", "N2"),  # scene under note
        ("N3", "S1"),  # note under scene
    ],
)
def test_move_refusals_leave_the_tree_unchanged(node, parent):
    tree = build()
    before = ids(tree.walk())
    with pytest.raises(TreeError):
        tree.move(node, parent)
    assert ids(tree.walk()) == before


def test_a_note_folder_moves_under_a_chapter_with_its_notes():
    tree = build()
    tree.move("N2", "C1")
    assert ids(tree.find("C1").children) == ["S1", "S2", "N1", "N2"]
    assert ids(tree.find("N2").children) == ["N3"]
    assert ids(tree.roots) == ["P1", "C3"]


def test_moving_into_itself_or_a_descendant_is_refused():
    tree = build()
    with pytest.raises(TreeError, match="into itself"):
        tree.move("N2", "N2")
    with pytest.raises(TreeError, match="into itself"):
        tree.move("N2", "N3")
    with pytest.raises(TreeError, match="into itself"):
        tree.move("P1", "C1")
    assert ids(tree.walk()) == ["P1", "C1", "S1", "S2", "N1", "C2", "C3", "N2", "N3"]


def test_moving_from_or_into_the_trash_is_refused():
    tree = build()
    tree.trash_node("C2")
    with pytest.raises(TreeError, match="restore"):
        tree.move("C2", None)
    with pytest.raises(TreeError, match="in the trash"):
        tree.move("S1", "C2")


# ---------------------------------------------------------------- trash


def test_trash_and_restore_to_the_same_place():
    tree = build()
    tree.trash_node("S1")
    assert ids(tree.find("C1").children) == ["S2", "N1"]
    assert tree.in_trash("S1") and not tree.in_trash("S2")
    assert "S1" not in ids(tree.walk())
    assert ids(tree.walk_trash()) == ["S1"]
    tree.restore("S1")
    assert ids(tree.find("C1").children) == ["S1", "S2", "N1"]
    assert tree.trash == []


def test_trash_takes_the_children_along():
    tree = build()
    tree.trash_node("C1")
    assert ids(tree.walk_trash()) == ["C1", "S1", "S2", "N1"]
    assert all(tree.in_trash(i) for i in ("C1", "S1", "S2", "N1"))
    tree.restore("C1")
    assert ids(tree.walk()) == ["P1", "C1", "S1", "S2", "N1", "C2", "C3", "N2", "N3"]


def test_restore_order_of_several_siblings():
    tree = three()
    tree.trash_node("a")
    tree.trash_node("b")
    tree.restore("b")  # b was index 0 after a left
    tree.restore("a")
    assert ids(tree.roots) == ["a", "b", "c"]


def test_restore_clamps_a_stale_index():
    tree = build()
    tree.trash_node("N1")  # index 2 in C1
    tree.trash_node("S1")
    tree.trash_node("S2")
    tree.restore("N1")
    assert ids(tree.find("C1").children) == ["N1"]


def test_restore_when_the_parent_is_in_the_trash_goes_to_the_top_level():
    tree = build()
    tree.trash_node("S1")
    tree.trash_node("C1")
    tree.restore("S1")
    assert ids(tree.roots)[-1] == "S1"
    assert tree.parent_of("S1") is None


def test_restore_when_the_parent_is_gone_goes_to_the_top_level():
    tree = build()
    tree.trash_node("S2")
    tree.trash_node("C1")
    removed = tree.delete_forever("C1")
    assert ids(removed) == ["C1", "S1", "N1"]
    tree.restore("S2")
    assert ids(tree.roots) == ["P1", "C3", "N2", "S2"]


def test_only_the_top_of_the_trash_can_be_restored():
    tree = build()
    tree.trash_node("C1")
    with pytest.raises(TreeError, match="top of the trash"):
        tree.restore("S1")
    with pytest.raises(TreeError):
        tree.restore("C3")  # not in the trash at all


def test_trashing_twice_is_refused():
    tree = build()
    tree.trash_node("C3")
    with pytest.raises(TreeError, match="already in the trash"):
        tree.trash_node("C3")
    tree.trash_node("C1")
    with pytest.raises(TreeError, match="already in the trash"):
        tree.trash_node("S1")  # inside a trashed chapter


def test_delete_forever_only_from_the_trash():
    tree = build()
    with pytest.raises(TreeError, match="only a document in the trash"):
        tree.delete_forever("C3")
    assert "C3" in ids(tree.walk())
    tree.trash_node("C1")
    with pytest.raises(TreeError, match="only a document in the trash"):
        tree.delete_forever("S1")  # inside a trashed node, not an entry of its own
    assert ids(tree.delete_forever("C1")) == ["C1", "S1", "S2", "N1"]
    with pytest.raises(TreeError):
        tree.find("S1")
    assert tree.trash == []


def test_empty_trash_returns_every_removed_node():
    tree = build()
    tree.trash_node("C1")
    tree.trash_node("N2")
    removed = tree.empty_trash()
    assert ids(removed) == ["C1", "S1", "S2", "N1", "N2", "N3"]
    assert tree.trash == []
    assert ids(tree.walk()) == ["P1", "C2", "C3"]
    assert tree.empty_trash() == []


# ---------------------------------------------------------------- finding


def test_path_of():
    tree = build()
    assert ids(tree.path_of("S2")) == ["P1", "C1", "S2"]
    assert ids(tree.path_of("C3")) == ["C3"]
    assert ids(tree.path_of("N3")) == ["N2", "N3"]
    tree.trash_node("C1")
    assert ids(tree.path_of("S2")) == ["C1", "S2"]
    with pytest.raises(TreeError, match="no document with id 'nope'"):
        tree.path_of("nope")


def test_parent_of_and_find():
    tree = build()
    assert tree.parent_of("C1").id == "P1"
    assert tree.parent_of("P1") is None
    assert tree.find("N3").title == "Sources"
    with pytest.raises(TreeError):
        tree.find("missing")
    tree.trash_node("C2")
    assert tree.find("C2").title == "Two"  # trashed nodes are still found
    with pytest.raises(TreeError, match="in the manuscript"):
        tree.parent_of("C2")


def test_all_nodes_includes_the_trash_after_the_manuscript():
    tree = build()
    tree.trash_node("C1")
    assert ids(tree.all_nodes()) == ["P1", "C2", "C3", "N2", "N3", "C1", "S1", "S2", "N1"]
