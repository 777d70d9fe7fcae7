"""What several apps use and no app owns: translated texts for the pure modules, request
parameters, the per-request memo, the people picker, spreadsheet cells, secret links and
the registries higher apps extend. No models; it imports none of our apps."""
