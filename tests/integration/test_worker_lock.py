"""One pump worker per SQLite data folder: the second is refused with a message and status 75."""
from hub.bootstrap import HubConfig
from hub.platform.worker_process import ANOTHER_WORKER_RUNNING, WorkerLock, run_worker


def test_a_second_worker_on_the_folder_is_refused_and_says_why(tmp_path, capsys):
    held = WorkerLock(str(tmp_path))
    assert held.acquire()
    code = run_worker(HubConfig(data_dir=str(tmp_path)), interval=1)
    assert code == ANOTHER_WORKER_RUNNING == 75
    message = capsys.readouterr().err
    assert "Another hub worker" in message and str(tmp_path) in message
    assert "--no-worker" in message
    held.release()


def test_the_lock_is_free_again_once_its_holder_lets_go(tmp_path):
    first = WorkerLock(str(tmp_path))
    assert first.acquire()
    second = WorkerLock(str(tmp_path))
    assert not second.acquire()
    first.release()                  # as the kernel does when the holder dies
    assert second.acquire()
    assert second.holder().isdigit()
    second.release()

