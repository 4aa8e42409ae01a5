// Lint = typescript-eslint (type-aware) + @pulumi/eslint-plugin (no Output in template literals).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "**/node_modules/**", "coverage/**", "policies/dist/**"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts", "**/*.mts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // The pack stands alone (`pulumi policy publish` uploads only policies/): what it shares with the program comes
        // from workspace packages (@airlock/*), never from a relative import that leaves the pack.
        files: ["policies/**/*.ts", "packages/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", { patterns: [{
                regex: "^(\\.\\./)+(src|components|tests|bench|scripts|policies|packages)(/|$)",
                message: "policies/ and packages/ stand alone: import shared code from an @airlock/* workspace package.",
            }] }],
        },
    },
    {
        // The CommonJS launchers: the CLI, and the pack's loader (package.json "main" of policies/).
        files: ["bin/*.js", "policies/loader.js"],
        languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", __dirname: "readonly" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
