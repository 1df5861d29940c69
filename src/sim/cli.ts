// The simulator's command line; the server comes with the simulator.
console.log('simulator not built yet');
