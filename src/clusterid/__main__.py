from clusterid.cli.app import main

main()
