"""The registry of population-registry implementations; `POPULATION_REGISTRY` picks one."""

from motcua.core.plugins import PluginRegistry

register: PluginRegistry = PluginRegistry("population registry")
