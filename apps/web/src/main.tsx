import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { Root } from './app/Root';

createRoot(document.getElementById('root')!).render(<Root />);
