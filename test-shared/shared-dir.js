const { resolve } = require('node:path');

/** Where the shared material is: SHARED_DIR, else ../shared beside the project. */
exports.sharedDir = () => resolve(process.env.SHARED_DIR ?? `${__dirname}/../../shared`);
