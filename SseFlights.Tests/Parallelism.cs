// Fixtures share nothing (each starts its own servers on free ports, with its own fake clock), so they
// run side by side; the few that measure the machine (threads, stalled readers, shutdown, the bench
// smoke run) are [NonParallelizable]. Two at a time: the machine has two cores.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
