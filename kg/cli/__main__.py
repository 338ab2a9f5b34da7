from kg.cli.commands import main

main()
