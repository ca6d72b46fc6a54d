//! Code that `buf generate` writes with local plugins, once per strategy
//! (see build.rs). That this crate compiles, with the real SDK crates, is
//! the pipeline test; the tests below check what each strategy wrote.

/// The modules of one `buf generate` output tree, laid out by proto package.
macro_rules! buf_output {
    ($dir:literal) => {
        pub mod example {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/",
                    $dir,
                    "/gen/example/v1/example.v1.rs"
                ));
            }
        }
        pub mod kitchen {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/",
                    $dir,
                    "/gen/kitchen/v1/kitchen.v1.rs"
                ));
            }
            pub mod common {
                pub mod v1 {
                    include!(concat!(
                        env!("OUT_DIR"),
                        "/",
                        $dir,
                        "/gen/kitchen/common/v1/kitchen.common.v1.rs"
                    ));
                }
            }
        }
        pub mod interop {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/",
                    $dir,
                    "/gen/interop/v1/interop.v1.rs"
                ));
            }
        }
        pub mod provision {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/",
                    $dir,
                    "/gen/provision/v1/provision.v1.rs"
                ));
            }
        }
        pub mod worker {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/",
                    $dir,
                    "/gen/worker/v1/worker.v1.rs"
                ));
            }
        }
    };
}

/// `buf.gen.yaml`: buf's default strategy, one plugin request per directory.
pub mod directory {
    buf_output!("directory");
}

/// `buf.gen.all.yaml`: `strategy: all`, one plugin request.
pub mod all {
    buf_output!("all");
}

/// `buf.gen.definitions.yaml`: every optional surface switched off.
pub mod definitions {
    buf_output!("definitions");
}

/// `buf.gen.xns-only.yaml`: the definitions and the `xns` modules.
pub mod xns_only {
    buf_output!("xns_only");
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn tree(dir: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let root = Path::new(env!("OUT_DIR")).join(dir).join("gen");
        let mut files = BTreeMap::new();
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("read output dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let bytes = std::fs::read(&path).expect("read output file");
                    files.insert(path.strip_prefix(&root).unwrap().to_path_buf(), bytes);
                }
            }
        }
        files
    }

    fn temporal_files(files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
        files
            .keys()
            .map(|p| p.display().to_string())
            .filter(|p| p.ends_with(".temporal.rs"))
            .collect()
    }

    #[test]
    fn both_strategies_write_the_same_files() {
        let directory = tree("directory");
        let all = tree("all");
        assert_eq!(
            directory.keys().collect::<Vec<_>>(),
            all.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &directory {
            assert!(
                all[path] == *bytes,
                "{} differs between strategies",
                path.display()
            );
        }
    }

    #[test]
    fn only_directories_with_services_get_temporal_code() {
        // kitchen/common and the temporal schema itself import nothing of
        // temporal.v1 or declare no service: no file, and no error either.
        assert_eq!(
            temporal_files(&tree("directory")),
            [
                "clock/v1/clock.v1.temporal.rs",
                "example/v1/example.v1.temporal.rs",
                "interop/v1/interop.v1.temporal.rs",
                "kitchen/v1/kitchen.v1.temporal.rs",
                "provision/v1/provision.v1.temporal.rs",
                "worker/v1/worker.v1.temporal.rs",
            ]
        );
    }

    fn temporal_code(dir: &str) -> String {
        let files = tree(dir);
        String::from_utf8(files[Path::new("example/v1/example.v1.temporal.rs")].clone())
            .expect("utf-8")
    }

    #[test]
    fn switched_off_surfaces_are_not_written() {
        let all = temporal_code("all");
        let definitions = temporal_code("definitions");
        let xns_only = temporal_code("xns_only");
        for code in [&all, &definitions, &xns_only] {
            assert!(code.contains("pub struct CreateFooWorkflow;"));
            assert!(code.contains("pub fn create_foo_workflow_id("));
        }
        for item in [
            "pub struct ExampleClient",
            "pub trait CreateFooWorkflowImpl",
            "pub fn register_example_activities",
            "pub fn notify_activity",
            "pub fn create_foo_child",
        ] {
            assert!(all.contains(item), "{item}");
            assert!(!definitions.contains(item), "{item}");
            assert!(!xns_only.contains(item), "{item}");
        }
        assert!(all.contains("pub mod xns {") && xns_only.contains("pub mod xns {"));
        assert!(!definitions.contains("pub mod xns {"));
        // The definitions alone are usable with the SDK's typed APIs.
        use temporalio_common::WorkflowDefinition;
        let marker = crate::definitions::example::v1::example_temporal::CreateFooWorkflow;
        assert_eq!(marker.name(), "example.v1.Example.CreateFoo");
    }

    #[test]
    fn prost_files_include_the_temporal_code_through_the_insertion_point() {
        let files = tree("directory");
        let prost =
            String::from_utf8(files[Path::new("example/v1/example.v1.rs")].clone()).expect("utf-8");
        assert!(prost.contains("include!(\"example.v1.temporal.rs\");"));
        // And the included module is there to use.
        assert_eq!(
            crate::directory::example::v1::example_temporal::EXAMPLE_TASK_QUEUE,
            "example-v1"
        );
    }
}
