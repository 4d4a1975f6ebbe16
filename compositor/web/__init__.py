"""The website end of the loop: import posts from a site into an issue folder, and publish
built issues as a static archive. Imported only by the `import` and `site` commands."""
