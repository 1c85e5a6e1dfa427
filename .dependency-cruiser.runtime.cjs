/**
 * The runtime import graph (type-only imports are erased by Node's type stripping): no cycle
 * between folders at any level, and none between modules. The one import against the layers,
 * workflows/ using activity types (as Temporal's samples do), is type-only and so not here.
 */
const base = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders form a DAG: a cycle between folders means two layers depend on each other.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
