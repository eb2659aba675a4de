"""The parts of :mod:`safeguard_std.serialization`, one concern a module: the converter,
structure errors, canonical JSON and digests, plain data, and the templated findings writer.
Import from :mod:`safeguard_std.serialization`; these modules are private."""
