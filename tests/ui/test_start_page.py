"""The start page: samples by their models' names and descriptions, one click opens a
sample or a recent file, the docks stay hidden until a model is open."""

import json

from ui.start_page import PATH_ROLE, StartPage, bundled_samples, sample_info

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import SAMPLES


def click(qtbot, list_widget, row: int, double: bool = False) -> None:
    item = list_widget.item(row)
    point = list_widget.visualItemRect(item).center()
    qtbot.mouseClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=point)
    if double:  # as the window system sends it: a click, then a press that is a double
        qtbot.mouseDClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_samples_are_listed_by_model_name_with_a_one_line_description(qtbot):
    page = StartPage()
    qtbot.addWidget(page)
    paths = bundled_samples()
    assert len(paths) == page.samples.list.count() >= 3
    for row, path in enumerate(paths):
        data = json.loads(path.read_text(encoding="utf-8"))
        item = page.samples.list.item(row)
        title, description = item.text().split("\n")
        assert title == data["name"]  # "Fjellvik Outdoor: 24-hour VIP promotion"
        assert title != path.name.removesuffix(".ecomraci.json").replace("-", " ").capitalize()
        comment = " ".join(data["comment"].split())
        assert description and comment.startswith(description.rstrip("…"))
        assert description.endswith((".", "…")) and len(description) <= 140
        assert item.data(PATH_ROLE) == path
        assert comment in item.toolTip()


def test_a_sample_that_cannot_be_read_gets_a_name_from_its_file(tmp_path):
    broken = tmp_path / "spring-sale.ecomraci.json"
    broken.write_text("{not json", encoding="utf-8")
    info = sample_info(broken)
    assert (info.name, info.description) == ("Spring sale", "")
    nameless = tmp_path / "quiet-shop.ecomraci.json"
    nameless.write_text(json.dumps({"comment": "A shop. With more."}), encoding="utf-8")
    assert (sample_info(nameless).name, sample_info(nameless).description) == (
        "Quiet shop",
        "A shop.",
    )


def test_a_single_click_on_a_sample_opens_it(make_window, qtbot):
    w = make_window(document=False)
    assert w.stack.currentWidget() is w.start_page
    samples = w.start_page.samples.list
    row = next(
        r
        for r in range(samples.count())
        if samples.item(r).data(PATH_ROLE).name == "vip-promotion.ecomraci.json"
    )
    click(qtbot, samples, row)
    qtbot.waitUntil(lambda: w.document is not None, timeout=3000)
    assert w.document.path == SAMPLES / "vip-promotion.ecomraci.json"
    assert w.stack.currentWidget() is w.tabs
    assert w.tree_dock.isVisible() and w.findings_dock.isVisible()


def test_a_single_click_on_a_recent_file_opens_it(make_window, qtbot):
    w = make_window(document=False)
    path = SAMPLES / "growing-department.ecomraci.json"
    assert w.open_path(path)
    w.close_document()
    recent = w.start_page.recent.list
    assert recent.item(0).data(PATH_ROLE) == path.resolve()
    assert recent.item(0).text().split("\n")[0] == path.name
    click(qtbot, recent, 0)
    qtbot.waitUntil(lambda: w.document is not None, timeout=3000)
    assert w.document.path.resolve() == path.resolve()


def test_a_double_click_opens_once(qtbot):
    page = StartPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    opened = []
    page.pathChosen.connect(opened.append)
    click(qtbot, page.samples.list, 1, double=True)
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    assert opened == [page.samples.list.item(1).data(PATH_ROLE)]


def test_the_docks_are_hidden_while_the_start_page_shows(make_window):
    w = make_window(document=False)
    for dock in (w.tree_dock, w.findings_dock, w.inspector_dock, w.scenario_dock):
        assert not dock.isVisible()
        assert not dock.toggleViewAction().isEnabled()  # nothing to show in them


def test_the_start_page_asks_no_room_of_a_small_window(make_window, qtbot):
    """It stays in the window's stack while a model is open: its own size must not make
    the window wider than the docks and the tabs need."""
    w = make_window(document=False)
    assert w.start_page.minimumSizeHint().width() < 300
    assert w.open_path(SAMPLES / "vip-promotion.ecomraci.json")
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.width() == 1024)
