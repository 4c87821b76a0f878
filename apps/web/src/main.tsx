import './styles/app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/App';
import { applyDiscreetChrome, readDiscreetPreference } from './ui/discreet';

// Before the first paint: a discreet tab shows nothing about counselling, not even briefly.
applyDiscreetChrome(readDiscreetPreference());

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
