//! Bindings generated from `wit/plugin.wit`. Plugin authors never use this
//! module directly: the `Detector`/`Policy` traits and the export macros wrap it.

pub mod detector {
    wit_bindgen::generate!({
        path: "../wit",
        world: "detector",
        pub_export_macro: true,
        export_macro_name: "__export_detector_world",
        default_bindings_module: "::warden_sdk::__bindings::detector",
        runtime_path: "::warden_sdk::__rt",
        additional_derives: [PartialEq],
    });
}

pub mod policy {
    wit_bindgen::generate!({
        path: "../wit",
        world: "policy",
        pub_export_macro: true,
        export_macro_name: "__export_policy_world",
        default_bindings_module: "::warden_sdk::__bindings::policy",
        runtime_path: "::warden_sdk::__rt",
        with: {
            "warden:plugin/types@0.1.0": super::detector::warden::plugin::types,
            "warden:plugin/state@0.1.0": super::detector::warden::plugin::state,
            "warden:plugin/log@0.1.0": super::detector::warden::plugin::log,
        },
    });
}
