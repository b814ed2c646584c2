from segkit.bench.run import main

raise SystemExit(main())
