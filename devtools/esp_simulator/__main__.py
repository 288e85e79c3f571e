from devtools.esp_simulator.server import main

main()
