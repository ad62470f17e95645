package dev.drover.template.internal;

/** Marker for maps that template their values on access (hostvars): never deep-templated or copied. */
public interface LazyMap {}
