from casebridge.cli import main

main()
