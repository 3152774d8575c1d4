//! The contract of `ImportBatch`: an import commits, dry-runs or is
//! abandoned whole.

use super::*;

pub fn an_import_commits_dry_runs_or_abandons_whole(store: &mut dyn AccountStore) {
    let root = add(store, "root", true);
    let done = event(EventKind::Import, "root");
    for end in [ImportEnd::DryRun, ImportEnd::Abandon] {
        let mut batch = store.import().expect("import");
        assert!(matches!(
            batch.insert(&new_user("alice", false)).expect("insert"),
            Written::Done { .. }
        ));
        batch.finish(end, &done).expect("finish");
        assert!(
            store.user_by_key("alice").expect("read").is_none(),
            "{end:?}"
        );
    }
    let mut batch = store.import().expect("import");
    batch.insert(&new_user("alice", false)).expect("insert");
    match batch.insert(&new_user("alice", false)).expect("insert") {
        Written::Taken { earlier, .. } => assert!(earlier),
        other => panic!("{other:?}"),
    }
    batch.finish(ImportEnd::Commit, &done).expect("commit");
    assert!(store.user_by_key("alice").expect("read").is_some());

    // A dry run makes a commit's checks: an import that leaves no admin.
    let mut batch = store.import().expect("import");
    batch
        .update(root.id, &new_user("root", false))
        .expect("update");
    assert_eq!(exit(batch.finish(ImportEnd::DryRun, &done)), 9);
    assert!(store.has_admin().expect("has_admin"));
}
