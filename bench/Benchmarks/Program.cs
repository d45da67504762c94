using BenchmarkDotNet.Running;

// bash bench/micro.sh  (or: dotnet run -c Release --project bench/Benchmarks -- --filter '*' --job short)
BenchmarkSwitcher.FromAssembly(typeof(AuthPlatform.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
