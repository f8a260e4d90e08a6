from clusterid.entry import main

main()
